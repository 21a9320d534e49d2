// JSON <-> Rego values. JSON numbers keep full precision (bigint for large integers), which
// JSON.parse cannot do, so parsing is hand-written; it also reads the conformance file.
import { type Value, RegoObject, RegoSet, normalizeNumber } from "./value.ts";

/** Converts a parsed JS JSON value (no bigints) into a Rego value. */
export function fromJs(v: unknown): Value {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "boolean":
    case "string":
    case "bigint":
      return v;
    case "number":
      return v;
  }
  if (Array.isArray(v)) return v.map(fromJs);
  const o = new RegoObject();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) o.set(k, fromJs(x));
  return o;
}

/** Parses JSON text into a Rego value, keeping large integers exact. */
export function parseJsonValue(text: string): Value {
  // Fast path: no long digit runs means JSON.parse is exact.
  if (!/\d{16,}/.test(text)) return fromJs(JSON.parse(text));
  const p = new JsonReader(text);
  const v = p.value();
  p.ws();
  if (p.pos !== text.length) throw new SyntaxError(`unexpected trailing data at offset ${p.pos}`);
  return v;
}

class JsonReader {
  pos = 0;
  constructor(private readonly s: string) {}
  ws(): void {
    while (this.pos < this.s.length && " \t\r\n".includes(this.s[this.pos])) this.pos++;
  }
  value(): Value {
    this.ws();
    const c = this.s[this.pos];
    if (c === "{") {
      this.pos++;
      const o = new RegoObject();
      this.ws();
      if (this.s[this.pos] === "}") {
        this.pos++;
        return o;
      }
      for (;;) {
        this.ws();
        const k = this.value();
        this.ws();
        this.expect(":");
        o.set(k, this.value());
        this.ws();
        if (this.s[this.pos] === ",") this.pos++;
        else {
          this.expect("}");
          return o;
        }
      }
    }
    if (c === "[") {
      this.pos++;
      const a: Value[] = [];
      this.ws();
      if (this.s[this.pos] === "]") {
        this.pos++;
        return a;
      }
      for (;;) {
        a.push(this.value());
        this.ws();
        if (this.s[this.pos] === ",") this.pos++;
        else {
          this.expect("]");
          return a;
        }
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(this.s.slice(this.pos, this.pos + 1_000_000));
      if (!m) throw new SyntaxError("unterminated string");
      this.pos += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.pos, this.pos + 4000));
    if (!m) throw new SyntaxError(`unexpected character at offset ${this.pos}`);
    this.pos += m[0].length;
    if (m[0] === "true") return true;
    if (m[0] === "false") return false;
    if (m[0] === "null") return null;
    return parseNumberLiteral(m[0]);
  }
  expect(ch: string): void {
    if (this.s[this.pos] !== ch) throw new SyntaxError(`expected '${ch}' at offset ${this.pos}`);
    this.pos++;
  }
}

/** A number literal: exact bigint for large integers, double otherwise. */
export function parseNumberLiteral(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
    return normalizeNumber(BigInt(text));
  }
  return Number(text);
}

/** Formats a number the way OPA prints it in JSON. */
export function formatNumber(n: number | bigint): string {
  if (typeof n === "bigint") return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  if (!Number.isFinite(n)) return String(n);
  return String(n);
}

/** Serialises a Rego value as JSON: sets become sorted arrays, object keys sorted, non-string keys stringified. */
export function toJsonText(v: Value): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
    case "bigint":
      return formatNumber(v);
    case "string":
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return "[" + v.map(toJsonText).join(",") + "]";
  if (v instanceof RegoSet) return "[" + v.sorted().map(toJsonText).join(",") + "]";
  const parts = v.sortedEntries().map(([k, x]) => JSON.stringify(typeof k === "string" ? k : toJsonText(k)) + ":" + toJsonText(x));
  return "{" + parts.join(",") + "}";
}

/** The JSON shape of a value as a Rego value (sets → sorted arrays, keys → strings). */
export function toJsonValue(v: Value): Value {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof RegoSet) return v.sorted().map(toJsonValue);
  const o = new RegoObject();
  for (const [k, x] of v.sortedEntries()) o.set(typeof k === "string" ? k : toJsonText(k), toJsonValue(x));
  return o;
}

/** Plain JS value for APIs that want JSON-like objects; bigints become numbers (may round). */
export function toJs(v: Value): unknown {
  if (v === null || typeof v !== "object") return typeof v === "bigint" ? Number(v) : v;
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof RegoSet) return v.sorted().map(toJs);
  const o: Record<string, unknown> = {};
  for (const [k, x] of v.sortedEntries()) o[typeof k === "string" ? k : toJsonText(k)] = toJs(x);
  return o;
}
