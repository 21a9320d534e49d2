import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level (RFC 8785-like for our purposes): the same entry
 * serialized twice with a different key order (Cerbos's file backend writes maps in random order)
 * yields the same text, so duplicates are recognized and true conflicts stand out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(obj[k])).join(",") + "}";
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
