// Public API: compile modules once, then evaluate queries against input and data many times.
import "./builtins/index.ts";
import type { Expr } from "./ast.ts";
import { builtinNames, getBuiltin } from "./builtins/registry.ts";
import { type CompiledModules, type CompilerHooks, type RuleNode, compileModules, compileQuery } from "./compile/compiler.ts";
import { findStaticNodes } from "./compile/static.ts";
import { checkRecursion } from "./compile/recursion.ts";
import { RegoError } from "./errors.ts";
import { Evaluator } from "./eval/evaluator.ts";
import type { TraceEvent } from "./eval/trace.ts";
import { parseModule, parseQuery } from "./parser/module.ts";
import { RegoObject, type Value } from "./values/value.ts";

export const hooks: CompilerHooks = {
  isBuiltin: (n) => getBuiltin(n) !== undefined,
  builtinArity: (n) => {
    const b = getBuiltin(n);
    return b && !b.variadic ? b.arity : undefined;
  },
};

export interface RegoModuleSource {
  file: string;
  source: string;
}

export interface RegoEvalOptions {
  input?: Value;
  /** Evaluation time (time.now_ns falls back to it). */
  now?: Date;
  /** Built-in errors halt evaluation instead of making the expression undefined. */
  strictBuiltinErrors?: boolean;
  /** Recorded non-deterministic built-in outputs: name → JSON-encoded args → output. */
  ndBuiltinCache?: Map<string, Map<string, Value>>;
  explain?: boolean;
}

export interface RegoQueryResult {
  /** One binding map per solution (vars of the query, generated ones left out). */
  bindings: Map<string, Value>[];
  trace?: TraceEvent[];
}

/** A compiled set of modules plus base data. */
export class CompiledRego {
  private readonly queryCache = new Map<string, { body: Expr[]; vars: string[] }>();
  /** Values of input-independent rules, shared by all evaluations (one map per strictness). */
  private readonly staticValues = { strict: new Map<RuleNode, { value: Value | undefined }>(), lenient: new Map<RuleNode, { value: Value | undefined }>() };
  private readonly staticNodes: Set<RuleNode>;
  constructor(
    readonly modules: CompiledModules,
    readonly data: Value,
  ) {
    this.staticNodes = findStaticNodes(modules);
  }

  prepare(query: string): { body: Expr[]; vars: string[] } {
    let q = this.queryCache.get(query);
    if (!q) {
      const parsed = parseQuery(query);
      const body = compileQuery(parsed, hooks, this.modules);
      q = { body, vars: queryVars(parsed) };
      // Bounded: replays may send many distinct ad-hoc queries.
      if (this.queryCache.size >= 1000) this.queryCache.clear();
      this.queryCache.set(query, q);
    }
    return q;
  }

  query(query: string, options: RegoEvalOptions = {}): RegoQueryResult {
    const { body, vars } = this.prepare(query);
    const now = options.now ?? new Date();
    const ev = new Evaluator(this.modules, options.input, this.data, {
      nowNs: BigInt(now.getTime()) * 1_000_000n,
      ndCache: options.ndBuiltinCache,
      strict: options.strictBuiltinErrors ?? false,
    });
    if (options.explain) ev.trace = [];
    else ev.docs.useStaticCache(this.staticNodes, options.strictBuiltinErrors ? this.staticValues.strict : this.staticValues.lenient);
    const bindings: Map<string, Value>[] = [];
    const env = new Map<string, Value>();
    ev.evalBody(body, 0, env, () => {
      const b = new Map<string, Value>();
      for (const v of vars) {
        const x = env.get(v);
        if (x !== undefined) b.set(v, x);
      }
      bindings.push(b);
      return false;
    });
    return { bindings, trace: ev.trace };
  }
}

function queryVars(body: Expr[]): string[] {
  const seen = new Set<string>();
  const visit = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(visit);
    const o = x as Record<string, unknown>;
    if (o.t === "var" && typeof o.name === "string") {
      const n = o.name;
      if (n !== "input" && n !== "data" && !n.startsWith("$") && !n.includes("$")) seen.add(n);
      return;
    }
    if (o.t === "arraycomp" || o.t === "setcomp" || o.t === "objcomp") return;
    if (o.kind === "every") return visit(o.domain);
    for (const v of Object.values(o)) visit(v);
  };
  visit(body);
  return [...seen];
}

/** Parses and compiles modules; throws RegoError (rego_parse_error, rego_compile_error, …). */
export function compileRego(sources: RegoModuleSource[], data: Value = new RegoObject()): CompiledRego {
  const modules = sources.map((s) => parseModule(s.source, s.file));
  const compiled = compileModules(modules, hooks);
  checkRecursion(compiled);
  return new CompiledRego(compiled, data);
}

export { RegoError, builtinNames };
