// The contract every embedded policy engine implements (Cerbos today, Rego later):
// compile a policy set once, then evaluate many requests synchronously against it.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options for one evaluation. `now` is explicit so replays are deterministic. */
export interface EvaluateOptions {
  /** Evaluation time, used by time functions such as Cerbos `now()`. */
  now: Date;
  /** When true the result carries an explanation of why each decision was made. */
  explain?: boolean;
}

/** A problem found while compiling a policy set; `file` and `line` point at the source. */
export interface CompileError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** A compiled policy set: the expensive work is done, evaluation is a lookup plus conditions. */
export interface CompiledPolicySet<Request, Result> {
  evaluate(request: Request, options: EvaluateOptions): Result;
}

/** Outcome of compiling: either a usable policy set or the list of errors. */
export type CompileOutcome<Request, Result> =
  | { ok: true; policySet: CompiledPolicySet<Request, Result> }
  | { ok: false; errors: CompileError[] };

/** An engine front end: turns policy sources into a compiled policy set. */
export interface PolicyEngine<Sources, Request, Result> {
  readonly name: string;
  compile(sources: Sources): CompileOutcome<Request, Result>;
}
