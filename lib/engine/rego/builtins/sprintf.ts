// sprintf with Go's fmt verbs (%v %s %d %f %e %g %x %X %o %b %q %t %%), flags, width and precision.
import { regoString } from "../values/format.ts";
import { formatNumber } from "../values/json.ts";
import type { Value } from "../values/value.ts";
import { arr, register, str } from "./registry.ts";

function plain(v: Value): string {
  return typeof v === "string" ? v : regoString(v);
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes("-")) return s + " ".repeat(width - s.length);
  if (flags.includes("0")) {
    const neg = s.startsWith("-") || s.startsWith("+");
    const body = neg ? s.slice(1) : s;
    return (neg ? s[0] : "") + "0".repeat(width - s.length) + body;
  }
  return " ".repeat(width - s.length) + s;
}

function intOf(v: Value): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

function goExp(s: string): string {
  // JS "1.5e+2" → Go "1.5e+02".
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

export function goSprintf(format: string, args: Value[]): string {
  let out = "";
  let ai = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      out += c;
      continue;
    }
    const m = /^([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/.exec(format.slice(i + 1));
    if (!m) {
      out += "%!(NOVERB)";
      continue;
    }
    i += m[0].length;
    const [, flags, w, p, verb] = m;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (ai >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[ai++];
    const width = w ? Number(w) : 0;
    const prec = p === undefined ? undefined : Number(p);
    let s: string;
    switch (verb) {
      case "v":
      case "s":
        s = typeof v === "number" || typeof v === "bigint" ? formatNumber(v) : plain(v);
        if (prec !== undefined) s = s.slice(0, prec);
        break;
      case "q":
        s = typeof v === "string" ? JSON.stringify(v) : `%!q(${plain(v)})`;
        break;
      case "t":
        s = typeof v === "boolean" ? String(v) : `%!t(${plain(v)})`;
        break;
      case "d": {
        const n = intOf(v);
        s = n === undefined ? `%!d(${plain(v)})` : (flags.includes("+") && n >= 0n ? "+" : "") + n.toString();
        break;
      }
      case "x":
      case "X":
      case "o":
      case "b": {
        const n = intOf(v);
        const radix = verb === "o" ? 8 : verb === "b" ? 2 : 16;
        if (n !== undefined) s = (n < 0n ? "-" : "") + (n < 0n ? -n : n).toString(radix);
        else if (typeof v === "string" && (verb === "x" || verb === "X")) s = Buffer.from(v, "utf8").toString("hex");
        else s = `%!${verb}(${plain(v)})`;
        if (verb === "X") s = s.toUpperCase();
        break;
      }
      case "f":
      case "F":
      case "e":
      case "E":
      case "g":
      case "G": {
        if (typeof v !== "number" && typeof v !== "bigint") {
          s = `%!${verb}(${plain(v)})`;
          break;
        }
        const n = Number(v);
        if (verb === "f" || verb === "F") s = n.toFixed(prec ?? 6);
        else if (verb === "e" || verb === "E") s = goExp(n.toExponential(prec ?? 6));
        else s = prec === undefined ? formatNumber(v) : String(Number(n.toPrecision(prec)));
        if (verb === "E" || verb === "G") s = s.toUpperCase();
        if (flags.includes("+") && n >= 0) s = "+" + s;
        break;
      }
      default:
        s = `%!${verb}(${plain(v)})`;
    }
    out += pad(s, width, flags);
  }
  if (ai < args.length) out += "%!(EXTRA " + args.slice(ai).map((a) => `${typeOfGo(a)}=${plain(a)}`).join(", ") + ")";
  return out;
}

function typeOfGo(v: Value): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number" || typeof v === "bigint") return "json.Number";
  return "ast.Value";
}

register("sprintf", 2, (args) => {
  const format = str("sprintf", args, 0);
  const values = arr("sprintf", args, 1);
  if (!format && values.length === 0) return "";
  return goSprintf(format, values);
});
