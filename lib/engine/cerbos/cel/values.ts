// Helpers over the CEL value representation used by @marcbachmann/cel-js:
// int = bigint, double = number, uint = UnsignedInt, timestamp = Date, duration = Duration,
// bytes = Uint8Array, list = Array, map = Map or plain object, optional = Optional.
import type { JsonValue } from "../../types.ts";

function isUint(v: unknown): v is { value: bigint } {
  return typeof v === "object" && v !== null && v.constructor?.name === "UnsignedInt";
}

function isDuration(v: unknown): v is { seconds: bigint; nanos: number } {
  return typeof v === "object" && v !== null && v.constructor?.name === "Duration";
}

function numericValue(v: unknown): number | bigint | undefined {
  if (typeof v === "number" || typeof v === "bigint") return v;
  if (isUint(v)) return v.value;
  return undefined;
}

/** CEL equality with heterogeneous numeric comparison (1 == 1.0 == 1u at runtime). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined && nb !== undefined) {
    if (typeof na === "number" && Number.isNaN(na)) return false;
    if (typeof nb === "number" && Number.isNaN(nb)) return false;
    // eslint-disable-next-line eqeqeq
    return na == nb;
  }
  if (na !== undefined || nb !== undefined) return false;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (isDuration(a) && isDuration(b)) return a.seconds === b.seconds && a.nanos === b.nanos;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  }
  if (Array.isArray(a) || Array.isArray(b)) return false;
  const ea = entriesOf(a);
  const eb = entriesOf(b);
  if (!ea || !eb || ea.length !== eb.length) return false;
  const mb = new Map(eb);
  return ea.every(([k, v]) => mb.has(k) && celEquals(v, mb.get(k)));
}

function entriesOf(v: object): [unknown, unknown][] | undefined {
  if (v instanceof Map) return [...v.entries()];
  if (v.constructor === Object || Object.getPrototypeOf(v) === null) return Object.entries(v);
  return undefined;
}

/** Index of `needle` in `list` under CEL equality, or -1. */
export function celIndexOf(list: readonly unknown[], needle: unknown): number {
  for (let i = 0; i < list.length; i++) if (celEquals(list[i], needle)) return i;
  return -1;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** RFC 3339 as Go's protojson prints timestamps (fractional seconds trimmed). */
export function formatTimestamp(d: Date): string {
  const ms = d.getUTCMilliseconds();
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return ms ? `${base}.${pad(ms, 3)}Z` : `${base}Z`;
}

/** Duration as protojson prints it, e.g. "3600s" or "1.5s". */
export function formatDuration(d: { seconds: bigint; nanos: number }): string {
  const negative = d.seconds < 0n || d.nanos < 0;
  const secs = d.seconds < 0n ? -d.seconds : d.seconds;
  const nanos = Math.abs(d.nanos);
  let frac = "";
  if (nanos) frac = "." + String(nanos).padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${secs}${frac}s`;
}

/** Converts a CEL result into JSON, as Cerbos converts outputs to google.protobuf.Value. */
export function celToJson(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "boolean":
    case "string":
      return v;
    case "number":
      return Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    case "bigint":
      return Number(v);
  }
  if (isUint(v)) return Number(v.value);
  if (v instanceof Date) return formatTimestamp(v);
  if (isDuration(v)) return formatDuration(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map(celToJson);
  if (v instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, val] of v) out[String(k)] = celToJson(val);
    return out;
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown> & { hasValue?: () => boolean; value?: () => unknown };
    if (o.constructor?.name === "Optional" && typeof o.hasValue === "function") {
      return o.hasValue() ? celToJson(o.value!()) : null;
    }
    if (typeof (o as { toJSON?: () => unknown }).toJSON === "function") {
      return celToJson((o as { toJSON: () => unknown }).toJSON());
    }
    const out: Record<string, JsonValue> = {};
    for (const [k, val] of Object.entries(o)) out[k] = celToJson(val);
    return out;
  }
  return String(v);
}

export function isCelMap(v: unknown): v is object {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}
