// Errors carry OPA's codes so callers (and the conformance runner) can match them exactly.

export type RegoErrorCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_type_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error"
  | "eval_conflict_error"
  | "eval_type_error"
  | "eval_builtin_error"
  | "eval_internal_error";

export class RegoError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A built-in failed; in non-strict mode this makes the expression undefined instead of halting. */
export class BuiltinError extends RegoError {
  constructor(
    message: string,
    code: "eval_builtin_error" | "eval_type_error" = "eval_builtin_error",
    /** Halt even in non-strict mode: the outcome would otherwise silently differ from the original decision. */
    readonly halts = false,
  ) {
    super(code, message);
  }
}

/** A non-deterministic built-in has no recorded output: replaying it cannot be faithful, so evaluation stops. */
export class NotReplayableError extends BuiltinError {
  constructor(message: string) {
    super(message, "eval_builtin_error", true);
  }
}
