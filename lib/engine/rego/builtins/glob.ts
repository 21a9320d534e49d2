// glob.match with gobwas/glob semantics: `*` stops at delimiters, `**` does not, `?`, [classes], {alternatives}.
import { BuiltinError } from "../errors.ts";
import { RegoSet, type Value, typeName } from "../values/value.ts";
import { register, str } from "./registry.ts";

const CACHE = new Map<string, RegExp>();

function globToRegExp(pattern: string, delimiters: string[]): RegExp {
  const key = pattern + "\u0000" + delimiters.join("\u0000");
  const hit = CACHE.get(key);
  if (hit) return hit;
  const delim = delimiters.map((d) => d.replace(/[\]\\^-]/g, "\\$&")).join("");
  const notDelim = delim ? `[^${delim}]` : "[\\s\\S]";
  let src = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      if (i >= pattern.length) throw new BuiltinError("glob.match: unexpected end of input");
      src += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        src += "[\\s\\S]*";
        i++;
      } else src += `${notDelim}*`;
    } else if (c === "?") src += notDelim;
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new BuiltinError("glob.match: unexpected end of input");
      let body = pattern.slice(i + 1, end);
      const neg = body.startsWith("!");
      if (neg) body = body.slice(1);
      src += `[${neg ? "^" : ""}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = end;
    } else if (c === "{") {
      depth++;
      src += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      src += ")";
    } else if (c === "," && depth > 0) src += "|";
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  if (depth) throw new BuiltinError("glob.match: unexpected end of input");
  const re = new RegExp(`^${src}$`, "u");
  CACHE.set(key, re);
  return re;
}

register("glob.match", 3, (a) => {
  const pattern = str("glob.match", a, 0);
  const d: Value = a[1];
  let delimiters: string[];
  if (d === null) delimiters = [];
  else if (Array.isArray(d) || d instanceof RegoSet) {
    const xs = Array.isArray(d) ? d : d.sorted();
    delimiters = xs.map((x) => {
      if (typeof x !== "string") throw new BuiltinError(`glob.match: operand 2 must be array of strings but got ${typeName(x)}`, "eval_type_error");
      return x;
    });
    if (delimiters.length === 0) delimiters = ["."];
  } else throw new BuiltinError(`glob.match: operand 2 must be one of {array, null} but got ${typeName(d)}`, "eval_type_error");
  return globToRegExp(pattern, delimiters).test(str("glob.match", a, 2));
});
register("glob.quote_meta", 1, (a) => str("glob.quote_meta", a, 0).replace(/[*?\\[\]{}]/g, "\\$&"));
