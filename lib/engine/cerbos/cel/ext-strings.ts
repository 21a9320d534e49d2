// cel-go ext.Strings functions the library lacks: charAt, format, replace, reverse, quote, and
// the list join/split variants it already has are left alone.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { registerNamespace } from "./namespace.ts";
import { celToJson } from "./values.ts";

function codePoints(s: string): string[] {
  return Array.from(s);
}

function charAt(s: string, i: bigint): string {
  const cps = codePoints(s);
  const n = Number(i);
  if (n < 0 || n > cps.length) throw new CelRuntimeError(`index out of range: ${n}`);
  return cps[n] ?? "";
}

function replace(s: string, from: string, to: string, limit = -1n): string {
  if (limit === 0n) return s;
  if (limit < 0n) return s.split(from).join(to);
  let out = s;
  let pos = 0;
  for (let n = 0n; n < limit; n++) {
    const idx = out.indexOf(from, pos);
    if (idx < 0) break;
    out = out.slice(0, idx) + to + out.slice(idx + from.length);
    pos = idx + to.length + (from === "" ? 1 : 0);
  }
  return out;
}

export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case "\\": out += "\\\\"; break;
      case '"': out += '\\"'; break;
      case "\n": out += "\\n"; break;
      case "\r": out += "\\r"; break;
      case "\t": out += "\\t"; break;
      case "\b": out += "\\b"; break;
      case "\f": out += "\\f"; break;
      case "\v": out += "\\v"; break;
      case "\x07": out += "\\a"; break;
      default: out += ch;
    }
  }
  return out + '"';
}

/** `%s` rendering as cel-go's strings.format does it: lists and maps recursively, unquoted. */
function formatString(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (Array.isArray(v)) return `[${v.map(formatString).join(", ")}]`;
  if (v instanceof Map) return `{${[...v.entries()].map(([k, x]) => `${formatString(k)}: ${formatString(x)}`).join(", ")}}`;
  const json = celToJson(v);
  if (typeof json === "string") return json;
  if (json && typeof json === "object" && !Array.isArray(json)) return `{${Object.entries(v as object).map(([k, x]) => `${k}: ${formatString(x)}`).join(", ")}}`;
  return String(json);
}

function formatValue(v: unknown, verb: string, precision: number | undefined): string {
  switch (verb) {
    case "s":
      return formatString(v);
    case "d":
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "number" && Number.isInteger(v)) return String(v);
      throw new CelRuntimeError("error during formatting: decimal clause can only be used on integers");
    case "f":
    case "e": {
      const n = typeof v === "bigint" ? Number(v) : (v as number);
      if (typeof n !== "number") throw new CelRuntimeError(`error during formatting: fixed-point clause can only be used on doubles`);
      return verb === "f" ? n.toFixed(precision ?? 6) : n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, "e$10$2");
    }
    case "b":
      return (typeof v === "bigint" ? v : BigInt(v as number)).toString(2);
    case "o":
      return (typeof v === "bigint" ? v : BigInt(v as number)).toString(8);
    case "x":
    case "X": {
      const s = typeof v === "string" ? Buffer.from(v).toString("hex") : (typeof v === "bigint" ? v : BigInt(v as number)).toString(16);
      return verb === "X" ? s.toUpperCase() : s;
    }
    default:
      throw new CelRuntimeError(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
  }
}

function format(fmt: string, args: unknown[]): string {
  let out = "";
  let argIdx = 0;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch !== "%") {
      out += ch;
      continue;
    }
    if (fmt[i + 1] === "%") {
      out += "%";
      i++;
      continue;
    }
    let j = i + 1;
    let precision: number | undefined;
    const m = /^\.(\d+)/.exec(fmt.slice(j));
    if (m) {
      precision = Number(m[1]);
      j += m[0].length;
    }
    const verb = fmt[j];
    if (!verb) throw new CelRuntimeError("could not parse formatting clause: unexpected end of string");
    if (argIdx >= args.length) throw new CelRuntimeError(`index ${argIdx} out of range`);
    out += formatValue(args[argIdx++], verb, precision);
    i = j;
  }
  return out;
}

export function registerStrings(env: Environment): void {
  const ns = registerNamespace(env, "strings");
  env
    .registerFunction("string.charAt(int): string", charAt)
    .registerFunction("string.replace(string, string): string", (s: string, a: string, b: string) => replace(s, a, b))
    .registerFunction("string.replace(string, string, int): string", replace)
    .registerFunction("string.reverse(): string", (s: string) => codePoints(s).reverse().join(""))
    .registerFunction("string.format(list): string", format)
    .registerFunction(`${ns}.quote(string): string`, (_ns: unknown, s: string) => quote(s));
}
