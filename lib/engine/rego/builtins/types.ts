// Type predicates, type_name and casts.
import { BuiltinError } from "../errors.ts";
import { parseNumberLiteral } from "../values/json.ts";
import { RegoObject, RegoSet, typeName } from "../values/value.ts";
import { register } from "./registry.ts";

register("is_number", 1, ([v]) => typeof v === "number" || typeof v === "bigint");
register("is_string", 1, ([v]) => typeof v === "string");
register("is_boolean", 1, ([v]) => typeof v === "boolean");
register("is_array", 1, ([v]) => Array.isArray(v));
register("is_set", 1, ([v]) => v instanceof RegoSet);
register("is_object", 1, ([v]) => v instanceof RegoObject);
register("is_null", 1, ([v]) => v === null);
register("type_name", 1, ([v]) => typeName(v));

register("to_number", 1, ([v]) => {
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" || typeof v === "bigint") return v;
  if (typeof v === "string") {
    if (/^[+-]?(nan|inf|infinity)$/i.test(v)) throw new BuiltinError(`to_number: operand 1 must be a finite number but got ${JSON.stringify(v)}`, "eval_type_error");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) || v.trim() !== v) {
      throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    }
    return parseNumberLiteral(v.replace(/^\+/, ""));
  }
  throw new BuiltinError(`to_number: operand 1 must be one of {null, boolean, number, string} but got ${typeName(v)}`, "eval_type_error");
});
// Deprecated casts still found in older policies.
register("cast_array", 1, ([v]) => {
  if (Array.isArray(v)) return v;
  if (v instanceof RegoSet) return v.sorted();
  throw new BuiltinError(`cast_array: operand 1 must be one of {array, set} but got ${typeName(v)}`, "eval_type_error");
});
register("cast_set", 1, ([v]) => {
  if (v instanceof RegoSet) return v;
  if (Array.isArray(v)) return RegoSet.from(v);
  throw new BuiltinError(`cast_set: operand 1 must be one of {array, set} but got ${typeName(v)}`, "eval_type_error");
});
register("cast_string", 1, ([v]) => (typeof v === "string" ? v : undefined));
register("cast_boolean", 1, ([v]) => (typeof v === "boolean" ? v : undefined));
register("cast_null", 1, ([v]) => (v === null ? v : undefined));
register("cast_object", 1, ([v]) => (v instanceof RegoObject ? v : undefined));
