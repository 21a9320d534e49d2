// Built-ins, one family per file, registered here by name. A built-in receives evaluated
// arguments and returns a value, or `undefined` for "no result"; it throws BuiltinError to fail.
import { BuiltinError } from "../errors.ts";
import { type Value, typeName } from "../values/value.ts";

export interface BuiltinContext {
  /** Evaluation time in nanoseconds since the epoch. */
  nowNs: bigint;
  /** Recorded outputs of non-deterministic built-ins: name → JSON args → output. */
  ndCache?: Map<string, Map<string, Value>>;
  strict: boolean;
  /** Calls another function value (used by e.g. walk-like helpers); unused by most. */
  print?: (msg: string) => void;
}

export interface Builtin {
  name: string;
  arity: number;
  fn: (args: Value[], ctx: BuiltinContext) => Value | undefined;
  /** Results vary between runs; replay from nd_builtin_cache. */
  nondeterministic?: boolean;
  /** Returns an array of alternative outputs, each a separate solution (e.g. walk). */
  relation?: boolean;
  /** Accepts any number of arguments and never has an output argument (e.g. print). */
  variadic?: boolean;
}

const REGISTRY = new Map<string, Builtin>();

export function register(name: string, arity: number, fn: Builtin["fn"], opts: { nondeterministic?: boolean; relation?: boolean; variadic?: boolean } = {}): void {
  REGISTRY.set(name, { name, arity, fn, ...opts });
}

export function getBuiltin(name: string): Builtin | undefined {
  return REGISTRY.get(name);
}

export function builtinNames(): string[] {
  return [...REGISTRY.keys()];
}

// Argument checks with OPA's error wording ("operand 1 must be string but got number").
export function typeError(fn: string, pos: number, want: string, got: Value): BuiltinError {
  return new BuiltinError(`${fn}: operand ${pos} must be ${want} but got ${typeName(got)}`, "eval_type_error");
}

export function str(fn: string, args: Value[], i: number): string {
  const v = args[i];
  if (typeof v !== "string") throw typeError(fn, i + 1, "string", v);
  return v;
}

export function num(fn: string, args: Value[], i: number): number | bigint {
  const v = args[i];
  if (typeof v !== "number" && typeof v !== "bigint") throw typeError(fn, i + 1, "number", v);
  return v;
}

export function arr(fn: string, args: Value[], i: number): Value[] {
  const v = args[i];
  if (!Array.isArray(v)) throw typeError(fn, i + 1, "array", v);
  return v;
}
