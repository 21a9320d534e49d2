// Equality, ordering and membership (the operators ==, !=, <, in).
import { RegoObject, RegoSet, type Value, compareValues, valuesEqual } from "../values/value.ts";
import { register } from "./registry.ts";

register("equal", 2, ([a, b]) => valuesEqual(a, b));
register("neq", 2, ([a, b]) => !valuesEqual(a, b));
register("lt", 2, ([a, b]) => compareValues(a, b) < 0);
register("lte", 2, ([a, b]) => compareValues(a, b) <= 0);
register("gt", 2, ([a, b]) => compareValues(a, b) > 0);
register("gte", 2, ([a, b]) => compareValues(a, b) >= 0);

function members(coll: Value): [Value, Value][] {
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (coll instanceof RegoSet) return [...coll.values()].map((v) => [v, v]);
  if (coll instanceof RegoObject) return [...coll.entries()];
  return [];
}

register("internal.member_2", 2, ([x, coll]) => {
  if (coll instanceof RegoSet) return coll.has(x);
  return members(coll).some(([, v]) => valuesEqual(v, x));
});
register("internal.member_3", 3, ([k, x, coll]) => {
  if (coll instanceof RegoObject) {
    const v = coll.get(k);
    return v !== undefined && valuesEqual(v, x);
  }
  return members(coll).some(([kk, v]) => valuesEqual(kk, k) && valuesEqual(v, x));
});
register("print", 0, () => true, { variadic: true });
// trace(note) annotates OPA explanations; here it simply holds.
register("trace", 1, ([v]) => typeof v === "string" || undefined);
