// json.verify_schema and json.match_schema: the commonly used JSON Schema keywords (type,
// properties, required, items, enum, const, bounds, lengths, additionalProperties), reporting
// errors in the shape OPA returns (gojsonschema's field/type/desc).
import { BuiltinError } from "../errors.ts";
import { fromJs, parseJsonValue } from "../values/json.ts";
import { RegoObject, type Value, compareNumbers, typeName, valuesEqual } from "../values/value.ts";
import { register } from "./registry.ts";

const TYPES = ["array", "boolean", "integer", "number", "null", "object", "string"];

function asDocument(fn: string, v: Value, pos: number): Value {
  if (typeof v !== "string") return v;
  try {
    return parseJsonValue(v);
  } catch (err) {
    throw new BuiltinError(`${fn}: operand ${pos}: ${(err as Error).message}`);
  }
}

function checkSchema(fn: string, s: Value): void {
  if (!(s instanceof RegoObject)) return;
  const t = s.get("type");
  for (const x of Array.isArray(t) ? t : t === undefined ? [] : [t]) {
    if (typeof x !== "string" || !TYPES.includes(x)) throw new BuiltinError(`${fn}: has a primitive type that is NOT VALID -- given: /${String(x)}/ Expected valid values are:[${TYPES.join(" ")}]`);
  }
  const props = s.get("properties");
  if (props instanceof RegoObject) for (const [, p] of props.entries()) checkSchema(fn, p);
  const items = s.get("items");
  if (items !== undefined) checkSchema(fn, items);
}

function jsonType(v: Value): string {
  const t = typeName(v);
  if (t === "number") return typeof v === "bigint" || Number.isInteger(v) ? "integer" : "number";
  return t === "set" ? "array" : t;
}

interface SchemaError {
  field: string;
  type: string;
  desc: string;
}

function validate(v: Value, s: Value, field: string, errors: SchemaError[]): void {
  if (!(s instanceof RegoObject)) return;
  const t = s.get("type");
  if (t !== undefined) {
    const allowed = (Array.isArray(t) ? t : [t]) as string[];
    const actual = jsonType(v);
    if (!allowed.includes(actual) && !(actual === "integer" && allowed.includes("number"))) {
      errors.push({ field, type: "invalid_type", desc: `Invalid type. Expected: ${allowed.join(", ")}, given: ${actual}` });
      return;
    }
  }
  const en = s.get("enum");
  if (Array.isArray(en) && !en.some((x) => valuesEqual(x, v))) errors.push({ field, type: "enum", desc: `${field} must be one of the following: ${en.map((x) => JSON.stringify(x)).join(", ")}` });
  const cst = s.get("const");
  if (cst !== undefined && !valuesEqual(cst, v)) errors.push({ field, type: "const", desc: `${field} does not match: ${JSON.stringify(cst)}` });
  if (typeof v === "number" || typeof v === "bigint") {
    const min = s.get("minimum");
    const max = s.get("maximum");
    if ((typeof min === "number" || typeof min === "bigint") && compareNumbers(v, min) < 0) errors.push({ field, type: "number_gte", desc: `Must be greater than or equal to ${String(min)}` });
    if ((typeof max === "number" || typeof max === "bigint") && compareNumbers(v, max) > 0) errors.push({ field, type: "number_lte", desc: `Must be less than or equal to ${String(max)}` });
  }
  if (typeof v === "string") {
    const n = [...v].length;
    const minL = s.get("minLength");
    const maxL = s.get("maxLength");
    if (typeof minL === "number" && n < minL) errors.push({ field, type: "string_gte", desc: `String length must be greater than or equal to ${minL}` });
    if (typeof maxL === "number" && n > maxL) errors.push({ field, type: "string_lte", desc: `String length must be less than or equal to ${maxL}` });
  }
  if (v instanceof RegoObject) {
    const req = s.get("required");
    if (Array.isArray(req)) for (const r of req) if (typeof r === "string" && !v.has(r)) errors.push({ field, type: "required", desc: `${r} is required` });
    const props = s.get("properties");
    for (const [k, x] of v.entries()) {
      const sub = props instanceof RegoObject ? props.get(k) : undefined;
      const childField = field === "(root)" ? String(k) : `${field}.${String(k)}`;
      if (sub !== undefined) validate(x, sub, childField, errors);
      else if (s.get("additionalProperties") === false) errors.push({ field, type: "additional_property_not_allowed", desc: `Additional property ${String(k)} is not allowed` });
    }
  }
  if (Array.isArray(v)) {
    const items = s.get("items");
    if (items !== undefined) v.forEach((x, i) => validate(x, items, field === "(root)" ? String(i) : `${field}.${i}`, errors));
  }
}

register("json.verify_schema", 1, ([schema]) => {
  try {
    checkSchema("json.verify_schema", asDocument("json.verify_schema", schema, 1));
    return [true, null];
  } catch (err) {
    return [false, (err as Error).message.replace(/^json\.verify_schema: /, "")];
  }
});

register("json.match_schema", 2, ([doc, schema]) => {
  const d = asDocument("json.match_schema", doc, 1);
  const s = asDocument("json.match_schema", schema, 2);
  checkSchema("json.match_schema", s);
  const errors: SchemaError[] = [];
  validate(d, s, "(root)", errors);
  return [errors.length === 0, errors.map((e) => fromJs({ error: `${e.field}: ${e.desc}`, desc: e.desc, field: e.field, type: e.type }))];
});
