// Per-request evaluation state: the CEL activation, recorded CEL errors, strict-mode handling and
// (optionally) the trace that becomes the explanation.
import type { JsonValue } from "../../types.ts";
import type { CheckInput, EvaluationError, ExprTrace, VariableTrace } from "../api-types.ts";
import { CelEvalError, type Activation, type CelProgram } from "../cel/environment.ts";
import { CelRuntimeError } from "../cel/errors.ts";
import { celToJson } from "../cel/values.ts";
import type { CompiledCondition, CompiledParams } from "../compile/model.ts";
import { normalizeScope } from "../compile/naming.ts";

/** Raised in strict mode: the rule's actions are denied. */
export class StrictEvaluationError extends Error {}

function requestObject(input: CheckInput) {
  const p = input.principal;
  const r = input.resource;
  const principal = {
    id: p.id ?? "",
    roles: p.roles ?? [],
    attr: p.attr ?? {},
    policyVersion: p.policyVersion ?? "",
    policy_version: p.policyVersion ?? "",
    scope: normalizeScope(p.scope ?? ""),
  };
  const resource = {
    kind: r.kind ?? "",
    id: r.id ?? "",
    attr: r.attr ?? {},
    policyVersion: r.policyVersion ?? "",
    policy_version: r.policyVersion ?? "",
    scope: normalizeScope(r.scope ?? ""),
  };
  const aux = { jwt: input.auxData?.jwt ?? {}, jwts: input.auxData?.jwts ?? {} };
  return { principal, resource, auxData: aux, aux_data: aux };
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export class EvalContext {
  readonly activation: Activation;
  private readonly errors = new Map<string, EvaluationError>();
  /** Trace sink for the current expression group (explain mode only). */
  exprTrace: ExprTrace[] | undefined;
  readonly variableTraces: VariableTrace[] | undefined;
  private currentRuntime: unknown;
  private runtimeIsAccessor = false;

  constructor(
    input: CheckInput,
    globals: Record<string, JsonValue>,
    readonly strict: boolean,
    readonly explain: boolean,
  ) {
    const request = requestObject(input);
    this.activation = {
      request,
      P: request.principal,
      R: request.resource,
      runtime: { effectiveDerivedRoles: [], effective_derived_roles: [] },
      constants: EMPTY,
      C: EMPTY,
      variables: EMPTY,
      V: EMPTY,
      globals,
      G: globals,
    };
    this.variableTraces = explain ? [] : undefined;
  }

  /** Sets `runtime` for the current scope; in strict mode a failed derived role makes it an error. */
  setRuntime(scoped: { roles: Set<string>; errRoles: string[]; runtime?: unknown }): void {
    if (scoped === this.currentRuntime) return;
    this.currentRuntime = scoped;
    if (scoped.errRoles.length > 0) {
      const msg = `failed to compute effective derived roles [${scoped.errRoles.join(", ")}]`;
      Object.defineProperty(this.activation, "runtime", {
        configurable: true,
        enumerable: true,
        get() {
          throw new CelRuntimeError(msg);
        },
      });
      this.runtimeIsAccessor = true;
      return;
    }
    if (!scoped.runtime) {
      const sorted = [...scoped.roles].sort();
      scoped.runtime = { effectiveDerivedRoles: sorted, effective_derived_roles: sorted };
    }
    if (this.runtimeIsAccessor) {
      Object.defineProperty(this.activation, "runtime", { configurable: true, enumerable: true, writable: true, value: scoped.runtime });
      this.runtimeIsAccessor = false;
    } else this.activation.runtime = scoped.runtime;
  }

  private bind(constants: Record<string, unknown>, variables: Record<string, unknown>): void {
    const a = this.activation;
    a.constants = constants;
    a.C = constants;
    a.variables = variables;
    a.V = variables;
  }

  recordError(expression: string, message: string): void {
    const key = `${expression}\u0000${message}`;
    if (!this.errors.has(key)) this.errors.set(key, { celError: { expression, message } });
  }

  /** Errors sorted by expression then message, as Cerbos reports them. */
  evaluationErrors(): EvaluationError[] {
    return [...this.errors.values()].sort((a, b) => {
      const x = a.celError;
      const y = b.celError;
      return x.expression < y.expression ? -1 : x.expression > y.expression ? 1 : x.message < y.message ? -1 : x.message > y.message ? 1 : 0;
    });
  }

  /** Runs an expression, returning its value or a CelEvalError. */
  run(program: CelProgram, constants: Record<string, unknown>, variables: Record<string, unknown>): unknown {
    this.bind(constants, variables);
    try {
      return program.run(this.activation);
    } catch (err) {
      if (err instanceof CelEvalError) return err;
      return new CelEvalError(err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * Evaluates an expression to a raw value like Cerbos's evaluateCELExprToRaw: a CEL error is
   * recorded and yields null (or throws StrictEvaluationError in strict mode).
   */
  evalToRaw(program: CelProgram, constants: Record<string, unknown>, variables: Record<string, unknown>): unknown {
    const v = this.run(program, constants, variables);
    if (v instanceof CelEvalError) {
      this.recordError(program.source, v.message);
      this.exprTrace?.push({ expression: program.source, error: v.message });
      if (this.strict) throw new StrictEvaluationError(v.message);
      return null;
    }
    this.exprTrace?.push({ expression: program.source, value: celToJson(v) });
    return v;
  }

  /**
   * Variables of a policy. `errorsAsNull` mirrors Cerbos's two code paths: variables for the
   * per-scope derived-role check keep a failed variable as null, row variables leave it unset.
   */
  evaluateVariables(params: CompiledParams, errorsAsNull: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const v of params.variables) {
      const val = this.run(v.program, params.constants, out);
      if (val instanceof CelEvalError) {
        this.recordError(v.program.source, val.message);
        this.variableTraces?.push({ name: v.name, expression: v.program.source, error: val.message });
        if (errorsAsNull && !this.strict) out[v.name] = null;
        continue;
      }
      out[v.name] = val;
      this.variableTraces?.push({ name: v.name, expression: v.program.source, value: celToJson(val) });
    }
    return out;
  }

  /** Evaluates a condition tree; absent condition is true. Throws StrictEvaluationError in strict mode. */
  satisfies(cond: CompiledCondition | undefined, constants: Record<string, unknown>, variables: Record<string, unknown>): boolean {
    if (!cond) return true;
    switch (cond.kind) {
      case "expr":
        return this.evalToRaw(cond.program, constants, variables) === true;
      case "all":
        for (const c of cond.items) if (!this.satisfies(c, constants, variables)) return false;
        return true;
      case "any":
        for (const c of cond.items) if (this.satisfies(c, constants, variables)) return true;
        return false;
      case "none":
        for (const c of cond.items) if (this.satisfies(c, constants, variables)) return false;
        return true;
    }
  }
}
