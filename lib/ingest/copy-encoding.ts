// Encodes values for COPY ... FROM STDIN WITH (FORMAT csv). CSV needs only quote-doubling, which is
// cheaper and less error-prone than the text format's backslash escapes.

/** Postgres text cannot hold NUL; replace it so a hostile value cannot fail a whole batch. */
export function stripNul(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s;
}

// eslint-disable-next-line no-control-regex
const NOT_JSONB_STORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * JSON.stringify replacer for text going into jsonb, which cannot hold U+0000 or unpaired surrogates
 * (JSON.stringify writes both as \u escapes, and Postgres then refuses the whole statement).
 */
export function jsonbSafe(_key: string, value: unknown): unknown {
  return typeof value === "string" ? value.replace(NOT_JSONB_STORABLE, "\uFFFD") : value;
}

export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  return '"' + stripNul(value).replaceAll('"', '""') + '"';
}

export function csvBytea(value: Buffer): string {
  return "\\x" + value.toString("hex");
}

/** A text[] literal, quoted for CSV. */
export function csvTextArray(values: readonly string[]): string {
  const inner = values.map((v) => '"' + stripNul(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"') + '"').join(",");
  return csvText("{" + inner + "}");
}
