// Regular expressions with RE2 semantics. Patterns are translated to JS RegExp; constructs RE2
// lacks (backreferences, lookaround) are rejected instead of silently matching differently.
import { BuiltinError } from "../errors.ts";
import { type Value } from "../values/value.ts";
import { num, register, str } from "./registry.ts";

const CACHE = new Map<string, RegExp>();
const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F", digit: "0-9",
  graph: "!-~", lower: "a-z", print: " -~", punct: "!-/:-@[-`{-~", space: "\\t\\n\\v\\f\\r ", upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

export function compileRe2(pattern: string, global = false): RegExp {
  const key = (global ? "g" : "") + pattern;
  const hit = CACHE.get(key);
  if (hit) return hit;
  let flags = global ? "gu" : "u";
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]) if (f !== "U" && !flags.includes(f)) flags += f;
  }
  if (/\(\?[=!<][^P]|\\[1-9]/.test(src) && !/\(\?<[A-Za-z]/.test(src)) throw new BuiltinError(`error parsing regexp: invalid or unsupported Perl syntax in ${JSON.stringify(pattern)}`);
  src = src
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, "(?<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$(?![\\s\\S])")
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => (POSIX[name] ? (neg ? `^${POSIX[name]}` : POSIX[name]) : m))
    .replace(/\\Q(.*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"));
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch {
    try {
      re = new RegExp(src, flags.replace("u", ""));
    } catch (err) {
      throw new BuiltinError(`error parsing regexp: ${(err as Error).message}`);
    }
  }
  if (CACHE.size > 1000) CACHE.clear();
  CACHE.set(key, re);
  return re;
}

register("regex.match", 2, (a) => compileRe2(str("regex.match", a, 0)).test(str("regex.match", a, 1)));
register("re_match", 2, (a) => compileRe2(str("re_match", a, 0)).test(str("re_match", a, 1)));
register("regex.is_valid", 1, ([p]) => {
  if (typeof p !== "string") return false;
  try {
    compileRe2(p);
    return true;
  } catch {
    return false;
  }
});
register("regex.find_n", 3, (a) => {
  const re = compileRe2(str("regex.find_n", a, 0), true);
  const n = Number(num("regex.find_n", a, 2));
  const all = [...str("regex.find_n", a, 1).matchAll(re)].map((m) => m[0]);
  return n < 0 ? all : all.slice(0, n);
});
register("regex.find_all_string_submatch_n", 3, (a) => {
  const re = compileRe2(str("regex.find_all_string_submatch_n", a, 0), true);
  const n = Number(num("regex.find_all_string_submatch_n", a, 2));
  const all: Value[] = [...str("regex.find_all_string_submatch_n", a, 1).matchAll(re)].map((m) => [...m].map((x) => x ?? ""));
  return n < 0 ? all : all.slice(0, n);
});
register("regex.split", 2, (a) => str("regex.split", a, 1).split(compileRe2(str("regex.split", a, 0), true)));
register("regex.replace", 3, (a) => {
  const s = str("regex.replace", a, 0);
  const re = compileRe2(str("regex.replace", a, 1), true);
  // Go's Expand: $1, ${1}, $name, ${name}; JS uses $<name> for names.
  const repl = str("regex.replace", a, 2).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => (/^\d+$/.test(name) ? `$${name}` : `$<${name}>`));
  return s.replace(re, repl);
});
register("regex.template_match", 4, (a) => {
  const template = str("regex.template_match", a, 0);
  const value = str("regex.template_match", a, 1);
  const open = str("regex.template_match", a, 2);
  const close = str("regex.template_match", a, 3);
  let src = "^";
  let i = 0;
  while (i < template.length) {
    const s = template.indexOf(open, i);
    if (s < 0) {
      src += escapeRe(template.slice(i));
      break;
    }
    const e = template.indexOf(close, s + open.length);
    if (e < 0) throw new BuiltinError("regex.template_match: unbalanced delimiters");
    src += escapeRe(template.slice(i, s)) + "(?:" + template.slice(s + open.length, e) + ")";
    i = e + close.length;
  }
  return compileRe2(src + "$").test(value);
});
function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
