// count, sum, product, max, min, sort over arrays, sets (and objects/strings for count).
import { BuiltinError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, compareValues, normalizeNumber, typeName } from "../values/value.ts";
import { register } from "./registry.ts";

function elements(fn: string, v: Value, allowed: string): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof RegoSet) return v.sorted();
  throw new BuiltinError(`${fn}: operand 1 must be one of {${allowed}} but got ${typeName(v)}`, "eval_type_error");
}

register("count", 1, ([v]) => {
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof RegoSet || v instanceof RegoObject) return v.size;
  throw new BuiltinError(`count: operand 1 must be one of {array, object, set, string} but got ${typeName(v)}`, "eval_type_error");
});

function numbersOf(fn: string, v: Value): (number | bigint)[] {
  const xs = elements(fn, v, "array, set");
  for (const x of xs) if (typeof x !== "number" && typeof x !== "bigint") throw new BuiltinError(`${fn}: operand 1 must be one of {array, set} of numbers but got ${typeName(x)}`, "eval_type_error");
  return xs as (number | bigint)[];
}

register("sum", 1, ([v]) => {
  const xs = numbersOf("sum", v);
  if (xs.every((x) => typeof x === "bigint" || Number.isInteger(x))) return normalizeNumber(xs.reduce<bigint>((a, x) => a + BigInt(x), 0n));
  return xs.reduce<number>((a, x) => a + Number(x), 0);
});
register("product", 1, ([v]) => {
  const xs = numbersOf("product", v);
  if (xs.every((x) => typeof x === "bigint" || Number.isInteger(x))) return normalizeNumber(xs.reduce<bigint>((a, x) => a * BigInt(x), 1n));
  return xs.reduce<number>((a, x) => a * Number(x), 1);
});
register("max", 1, ([v]) => {
  const xs = elements("max", v, "array, set");
  if (xs.length === 0) return undefined;
  return xs.reduce((a, x) => (compareValues(x, a) > 0 ? x : a));
});
register("min", 1, ([v]) => {
  const xs = elements("min", v, "array, set");
  if (xs.length === 0) return undefined;
  return xs.reduce((a, x) => (compareValues(x, a) < 0 ? x : a));
});
register("sort", 1, ([v]) => [...elements("sort", v, "array, set")].sort(compareValues));
