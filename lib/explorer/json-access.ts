// Tolerant readers for stored jsonb entries: records were validated at ingest, but older Cerbos/OPA
// versions omit fields, so every read returns undefined rather than throwing.
import type { JsonObject, JsonValue } from "../formats/types.ts";

export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v : undefined;
}

export function asArray(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function asStrings(v: JsonValue | undefined): string[] {
  return asArray(v).filter((x): x is string => typeof x === "string");
}

/** True for values worth a section: not undefined/null, not an empty object or array. */
export function isPresent(v: JsonValue | undefined): v is JsonValue {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}
