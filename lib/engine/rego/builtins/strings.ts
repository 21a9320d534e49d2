// String built-ins. Positions are in Unicode code points, as in OPA (Go runes).
import { BuiltinError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, typeName } from "../values/value.ts";
import { num, register, str, typeError } from "./registry.ts";

function stringsOf(fn: string, v: Value, pos: number): string[] {
  const items = Array.isArray(v) ? v : v instanceof RegoSet ? v.sorted() : undefined;
  if (!items) throw new BuiltinError(`${fn}: operand ${pos} must be one of {array, set} but got ${typeName(v)}`, "eval_type_error");
  return items.map((x) => {
    if (typeof x !== "string") throw new BuiltinError(`${fn}: operand ${pos} must be array of strings but got array containing ${typeName(x)}`, "eval_type_error");
    return x;
  });
}

register("concat", 2, (args) => stringsOf("concat", args[1], 2).join(str("concat", args, 0)));
register("contains", 2, (args) => str("contains", args, 0).includes(str("contains", args, 1)));
register("startswith", 2, (args) => str("startswith", args, 0).startsWith(str("startswith", args, 1)));
register("endswith", 2, (args) => str("endswith", args, 0).endsWith(str("endswith", args, 1)));
register("lower", 1, (args) => str("lower", args, 0).toLowerCase());
register("upper", 1, (args) => str("upper", args, 0).toUpperCase());
register("split", 2, (args) => {
  const s = str("split", args, 0);
  const sep = str("split", args, 1);
  return sep === "" ? [...s] : s.split(sep);
});
register("replace", 3, (args) => str("replace", args, 0).split(str("replace", args, 1)).join(str("replace", args, 2)));
register("strings.replace_n", 2, ([patterns, s]) => {
  if (!(patterns instanceof RegoObject)) throw typeError("strings.replace_n", 1, "object", patterns);
  if (typeof s !== "string") throw typeError("strings.replace_n", 2, "string", s);
  const pairs: [string, string][] = [];
  for (const [k, v] of patterns.sortedEntries()) {
    if (typeof k !== "string") throw new BuiltinError("strings.replace_n: operand 1 non-string key found in pattern object", "eval_type_error");
    if (typeof v !== "string") throw new BuiltinError("strings.replace_n: operand 1 non-string value found in pattern object", "eval_type_error");
    pairs.push([k, v]);
  }
  // Go's strings.NewReplacer: at each position the first matching pattern (in argument order) wins.
  let out = "";
  for (let i = 0; i < s.length; ) {
    const hit = pairs.find(([k]) => k !== "" && s.startsWith(k, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else out += s[i++];
  }
  return out;
});
register("strings.reverse", 1, (args) => [...str("strings.reverse", args, 0)].reverse().join(""));
register("indexof", 2, (args) => {
  const s = [...str("indexof", args, 0)];
  const sub = [...str("indexof", args, 1)];
  if (sub.length === 0) return 0;
  for (let i = 0; i + sub.length <= s.length; i++) if (sub.every((c, j) => s[i + j] === c)) return i;
  return -1;
});
register("indexof_n", 2, (args) => {
  const s = [...str("indexof_n", args, 0)];
  const sub = [...str("indexof_n", args, 1)];
  const out: Value[] = [];
  for (let i = 0; i + sub.length <= s.length; i++) if (sub.every((c, j) => s[i + j] === c)) out.push(i);
  return out;
});
register("substring", 3, (args) => {
  const s = [...str("substring", args, 0)];
  const start = Number(num("substring", args, 1));
  const len = Number(num("substring", args, 2));
  if (!Number.isInteger(start)) throw typeError("substring", 2, "integer", args[1]);
  if (start < 0) throw new BuiltinError("substring: negative offset");
  if (start >= s.length) return "";
  return (len < 0 ? s.slice(start) : s.slice(start, start + len)).join("");
});
const cutset = (s: string, chars: string, left: boolean, right: boolean): string => {
  const set = new Set([...chars]);
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && set.has(cs[a])) a++;
  if (right) while (b > a && set.has(cs[b - 1])) b--;
  return cs.slice(a, b).join("");
};
register("trim", 2, (args) => cutset(str("trim", args, 0), str("trim", args, 1), true, true));
register("trim_left", 2, (args) => cutset(str("trim_left", args, 0), str("trim_left", args, 1), true, false));
register("trim_right", 2, (args) => cutset(str("trim_right", args, 0), str("trim_right", args, 1), false, true));
register("trim_prefix", 2, (args) => {
  const s = str("trim_prefix", args, 0);
  const p = str("trim_prefix", args, 1);
  return s.startsWith(p) ? s.slice(p.length) : s;
});
register("trim_suffix", 2, (args) => {
  const s = str("trim_suffix", args, 0);
  const p = str("trim_suffix", args, 1);
  return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
});
register("trim_space", 1, (args) => str("trim_space", args, 0).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/g, ""));
register("format_int", 2, (args) => {
  const n = num("format_int", args, 0);
  const base = num("format_int", args, 1);
  if (![2, 8, 10, 16].includes(Number(base))) throw new BuiltinError("format_int: operand 2 must be one of {2, 8, 10, 16}", "eval_type_error");
  const i = typeof n === "bigint" ? n : BigInt(Math.trunc(n));
  return (i < 0n ? "-" : "") + (i < 0n ? -i : i).toString(Number(base));
});
function anyMatch(fn: string, args: Value[], test: (s: string, p: string) => boolean): boolean {
  const list = (v: Value, pos: number): string[] => {
    if (typeof v === "string") return [v];
    if (Array.isArray(v) || v instanceof RegoSet) {
      const xs = Array.isArray(v) ? v : v.sorted();
      return xs.map((x) => {
        if (typeof x !== "string") throw new BuiltinError(`${fn}: operand ${pos} must be array of strings but got array containing ${typeName(x)}`, "eval_type_error");
        return x;
      });
    }
    throw new BuiltinError(`${fn}: operand ${pos} must be one of {string, set, array} but got ${typeName(v)}`, "eval_type_error");
  };
  const ss = list(args[0], 1);
  const ps = list(args[1], 2);
  return ss.some((s) => ps.some((p) => test(s, p)));
}
register("strings.any_prefix_match", 2, (args) => anyMatch("strings.any_prefix_match", args, (s, p) => s.startsWith(p)));
register("strings.any_suffix_match", 2, (args) => anyMatch("strings.any_suffix_match", args, (s, p) => s.endsWith(p)));
register("strings.count", 2, (args) => {
  const s = str("strings.count", args, 0);
  const sub = str("strings.count", args, 1);
  if (sub === "") return [...s].length + 1;
  return s.split(sub).length - 1;
});
