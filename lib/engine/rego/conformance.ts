// Runs cases in OPA's conformance shape (see shared/reference/opa.md §3.3): compile the modules
// as test-<i>.rego, evaluate the query with data and input, return bindings or an error.
import { compileRego } from "./engine.ts";
import { RegoError } from "./errors.ts";
import { parseTerm } from "./parser/module.ts";
import { toJsonValue } from "./values/json.ts";
import { RegoObject, type Value, compareValues } from "./values/value.ts";

export interface ConformanceCase {
  note: string;
  file?: string;
  query: string;
  modules?: string[];
  data?: Value;
  input?: Value;
  input_term?: string;
  strict_error?: boolean;
}

export type CaseOutcome = { result: Value[] } | { error: { code: string; message: string } };

/** Reads a case from a parsed JSON object (values keep big integers). */
export function caseFromValue(v: Value): ConformanceCase {
  if (!(v instanceof RegoObject)) throw new Error("case must be an object");
  const get = (k: string) => v.get(k);
  const modules = get("modules");
  return {
    note: String(get("note") ?? ""),
    file: get("file") === undefined ? undefined : String(get("file")),
    query: String(get("query") ?? ""),
    modules: Array.isArray(modules) ? modules.map(String) : [],
    data: get("data"),
    input: get("input"),
    input_term: get("input_term") === undefined ? undefined : String(get("input_term")),
    strict_error: get("strict_error") === true,
  };
}

export function runCase(c: ConformanceCase): CaseOutcome {
  try {
    const compiled = compileRego(
      (c.modules ?? []).map((source, i) => ({ file: `test-${i}.rego`, source })),
      c.data ?? new RegoObject(),
    );
    let input = c.input;
    if (c.input_term !== undefined) input = evalConstant(c.input_term);
    const { bindings } = compiled.query(c.query, { input, strictBuiltinErrors: c.strict_error, now: new Date() });
    return { result: bindings.map((b) => RegoObject.from([...b].map(([k, x]) => [k, toJsonValue(x)] as [Value, Value]))) };
  } catch (err) {
    if (err instanceof RegoError) return { error: { code: err.code, message: err.message } };
    if (err instanceof RangeError) return { error: { code: "eval_internal_error", message: `evaluation too deep: ${err.message}` } };
    throw err;
  }
}

/** Evaluates a ground Rego term such as an `input_term` (may contain sets). */
export function evalConstant(src: string): Value {
  parseTerm(src);
  const compiled = compileRego([]);
  const { bindings } = compiled.query(`__x = ${src}`);
  if (bindings.length !== 1) throw new RegoError("rego_compile_error", "input term is not a constant");
  return bindings[0].get("__x")!;
}

/** OPA's sort_bindings: array values in bindings are compared order-insensitively. */
export function sortBindings(b: Value): Value {
  if (!(b instanceof RegoObject)) return b;
  return RegoObject.from([...b.entries()].map(([k, v]) => [k, Array.isArray(v) ? [...v].sort(compareValues) : v] as [Value, Value]));
}
