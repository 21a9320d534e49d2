// Postgres jsonb cannot store U+0000 or unpaired UTF-16 surrogates (both are legal in JSON text as
// \u escapes). The raw bytes stay exact; only the jsonb query copy (`entry`) gets U+FFFD in their place.

import type { JsonObject, JsonValue } from "./types.ts";

// Cheap pre-check on the item text: only escapes can produce these characters (raw control
// characters inside strings are invalid JSON and never reach this point).
const SUSPICIOUS_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function mayNeedSanitizing(itemText: string): boolean {
  return SUSPICIOUS_ESCAPE.test(itemText);
}

export interface SanitizeResult {
  value: JsonObject;
  replaced: number;
}

/** Returns a copy of `value` with NUL and lone surrogates replaced by U+FFFD in keys and strings. */
export function sanitizeForJsonb(value: JsonObject): SanitizeResult {
  let replaced = 0;
  const fix = (s: string): string =>
    s.replace(UNSTORABLE, () => {
      replaced++;
      return "\uFFFD";
    });
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v === "string") return fix(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: JsonObject = {};
      for (const [k, child] of Object.entries(v)) out[fix(k)] = walk(child);
      return out;
    }
    return v;
  };
  return { value: walk(value) as JsonObject, replaced };
}
