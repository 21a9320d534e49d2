// Arrays, sets and objects: array.*, object.*, union, intersection, walk.
import { BuiltinError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, typeName, valuesEqual } from "../values/value.ts";
import { arr, register, typeError } from "./registry.ts";

const obj = (fn: string, v: Value, pos: number): RegoObject => {
  if (!(v instanceof RegoObject)) throw typeError(fn, pos, "object", v);
  return v;
};

register("array.concat", 2, (args) => [...arr("array.concat", args, 0), ...arr("array.concat", args, 1)]);
register("array.reverse", 1, (args) => [...arr("array.reverse", args, 0)].reverse());
register("array.slice", 3, (args) => {
  const a = arr("array.slice", args, 0);
  const [, s, e] = args;
  if (typeof s !== "number" && typeof s !== "bigint") throw typeError("array.slice", 2, "number", s);
  if (typeof e !== "number" && typeof e !== "bigint") throw typeError("array.slice", 3, "number", e);
  let start = Math.max(0, Math.floor(Number(s)));
  const end = Math.min(a.length, Math.floor(Number(e)));
  if (start > end) start = end;
  return a.slice(start, end);
});
register("array.flatten", 1, (args) => {
  return arr("array.flatten", args, 0).flatMap((x) => (Array.isArray(x) ? x : [x]));
});

function keysOf(fn: string, v: Value, pos: number): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RegoSet) return [...v.values()];
  if (v instanceof RegoObject) return v.keys();
  throw new BuiltinError(`${fn}: operand ${pos} must be one of {object, set, array} but got ${typeName(v)}`, "eval_type_error");
}

register("object.get", 3, ([o, key, dflt]) => {
  if (!(o instanceof RegoObject)) throw typeError("object.get", 1, "object", o);
  if (Array.isArray(key)) {
    let cur: Value = o;
    for (const k of key) {
      let next: Value | undefined;
      if (cur instanceof RegoObject) next = cur.get(k);
      else if (Array.isArray(cur) && typeof k === "number") next = cur[k];
      else if (cur instanceof RegoSet) next = cur.has(k) ? k : undefined;
      if (next === undefined) return dflt;
      cur = next;
    }
    return cur;
  }
  return o.get(key) ?? dflt;
});
register("object.keys", 1, (args) => RegoSet.from(obj("object.keys", args[0], 1).keys()));
register("object.remove", 2, ([o, ks]) => {
  const src = obj("object.remove", o, 1);
  const drop = RegoSet.from(keysOf("object.remove", ks, 2));
  return RegoObject.from([...src.entries()].filter(([k]) => !drop.has(k)));
});
register("object.filter", 2, ([o, ks]) => {
  const src = obj("object.filter", o, 1);
  const keep = RegoSet.from(keysOf("object.filter", ks, 2));
  return RegoObject.from([...src.entries()].filter(([k]) => keep.has(k)));
});

export function mergeObjects(a: RegoObject, b: RegoObject): RegoObject {
  const out = RegoObject.from(a.entries());
  for (const [k, v] of b.entries()) {
    const prev = out.get(k);
    out.set(k, prev instanceof RegoObject && v instanceof RegoObject ? mergeObjects(prev, v) : v);
  }
  return out;
}
register("object.union", 2, ([a, b]) => mergeObjects(obj("object.union", a, 1), obj("object.union", b, 2)));
register("object.union_n", 1, ([xs]) => {
  if (!Array.isArray(xs)) throw typeError("object.union_n", 1, "array", xs);
  let out = new RegoObject();
  for (const x of xs) out = mergeObjects(out, obj("object.union_n", x, 1));
  return out;
});
register("object.subset", 2, ([sup, sub]) => isSubset(sup, sub));
function isSubset(sup: Value, sub: Value): boolean {
  if (sup instanceof RegoObject && sub instanceof RegoObject) {
    for (const [k, v] of sub.entries()) {
      const s = sup.get(k);
      if (s === undefined) return false;
      const sameKind = (s instanceof RegoObject && v instanceof RegoObject) || (s instanceof RegoSet && v instanceof RegoSet) || (Array.isArray(s) && Array.isArray(v));
      if (sameKind ? !isSubset(s, v) : !valuesEqual(s, v)) return false;
    }
    return true;
  }
  if (sup instanceof RegoSet && sub instanceof RegoSet) return [...sub.values()].every((v) => sup.has(v));
  if (Array.isArray(sup) && Array.isArray(sub)) {
    if (sub.length === 0) return true;
    for (let i = 0; i + sub.length <= sup.length; i++) if (sub.every((x, j) => valuesEqual(sup[i + j], x))) return true;
    return false;
  }
  if (Array.isArray(sup) && sub instanceof RegoSet) return [...sub.values()].every((v) => sup.some((x) => valuesEqual(x, v)));
  throw new BuiltinError(`object.subset: both arguments must be objects, sets, or arrays`, "eval_type_error");
}

function setsOf(fn: string, v: Value): RegoSet[] {
  if (!(v instanceof RegoSet)) throw typeError(fn, 1, "set", v);
  return [...v.values()].map((x) => {
    if (!(x instanceof RegoSet)) throw new BuiltinError(`${fn}: operand 1 must be set of sets but got set containing ${typeName(x)}`, "eval_type_error");
    return x;
  });
}
register("union", 1, ([v]) => RegoSet.from(setsOf("union", v).flatMap((s) => [...s.values()])));
register("intersection", 1, ([v]) => {
  const sets = setsOf("intersection", v);
  if (sets.length === 0) return new RegoSet();
  return RegoSet.from([...sets[0].values()].filter((x) => sets.every((s) => s.has(x))));
});

register("walk", 1, ([v]) => {
  const out: Value[] = [];
  const visit = (path: Value[], x: Value) => {
    out.push([path, x]);
    if (Array.isArray(x)) x.forEach((c, i) => visit([...path, i], c));
    else if (x instanceof RegoObject) for (const [k, c] of x.sortedEntries()) visit([...path, k], c);
    else if (x instanceof RegoSet) for (const c of x.sorted()) visit([...path, c], c);
  };
  visit([], v);
  return out;
}, { relation: true });
