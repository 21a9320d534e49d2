// Top-down evaluation with backtracking. Every evaluation function takes a continuation and
// returns true when the search should stop (a `not`, `every` or complete-rule check found what
// it needed). Bindings live in one Map per rule body; each bind is undone when its
// continuation returns, so backtracking needs no copying.
import type { Expr, Term } from "../ast.ts";
import { type Builtin, type BuiltinContext, getBuiltin } from "../builtins/registry.ts";
import type { CompiledModules, RuleNode } from "../compile/compiler.ts";
import { BuiltinError, RegoError } from "../errors.ts";
import { regoString } from "../values/format.ts";
import { RegoObject, RegoSet, type Value, valuesEqual } from "../values/value.ts";
import { DocumentResolver } from "./documents.ts";
import { hasUnboundVars, lookup } from "./values-access.ts";
import { evalWith } from "./with.ts";
import { matchObjectItems } from "../compile/safety.ts";
import type { TraceEvent } from "./trace.ts";

export type Env = Map<string, Value>;
export type Cont = () => boolean;
export type ValueCont = (v: Value) => boolean;

export interface EvalState {
  input: Value | undefined;
  baseData: Value;
  /** Overrides from `with data.… as …`, outermost first. */
  dataOverrides: { path: string[]; value: Value }[];
  /** Replacements from `with f as g` (function name → function name or value term). */
  fnOverrides: Map<string, { op?: string; value?: Value }>;
  cache: Map<RuleNode, Value | null>;
}

export const UNDEFINED_MARK = null;

export class Evaluator {
  state: EvalState;
  readonly docs: DocumentResolver;
  trace?: TraceEvent[];
  /** The expression being evaluated, for error locations. */
  currentExpr?: Expr;
  constructor(
    readonly compiled: CompiledModules,
    input: Value | undefined,
    baseData: Value,
    readonly builtinCtx: BuiltinContext,
  ) {
    this.state = { input, baseData, dataOverrides: [], fnOverrides: new Map(), cache: new Map() };
    this.docs = new DocumentResolver(this);
  }

  evalBody(body: Expr[], i: number, env: Env, k: Cont): boolean {
    if (i === body.length) return k();
    return this.evalExpr(body[i], env, () => this.evalBody(body, i + 1, env, k));
  }

  evalExpr(e: Expr, env: Env, k: Cont): boolean {
    this.currentExpr = e;
    if (e.with.length) return evalWith(this, e, env, k);
    if (e.negated) {
      const found = this.evalExprPositive(e, env, () => true);
      if (this.trace) this.trace.push({ kind: "expr", file: e.file ?? "query", line: e.line, text: e.text, negated: true, result: !found });
      return found ? false : k();
    }
    if (!this.trace) return this.evalExprPositive(e, env, k);
    let hit = false;
    const r = this.evalExprPositive(e, env, () => {
      if (!hit) this.trace!.push({ kind: "expr", file: e.file ?? "query", line: e.line, text: e.text, negated: false, result: true });
      hit = true;
      return k();
    });
    if (!hit) this.trace.push({ kind: "expr", file: e.file ?? "query", line: e.line, text: e.text, negated: false, result: false });
    return r;
  }

  private evalExprPositive(e: Expr, env: Env, k: Cont): boolean {
    switch (e.kind) {
      case "term": {
        const t = e.term;
        if (t.t === "call") return this.evalCall(t.op, t.args, env, (v) => (v === false ? false : k()));
        return this.evalTerm(t, env, (v) => (v === false ? false : k()));
      }
      case "unify":
      case "assign":
        return this.unify(e.left, e.right, env, k);
      case "some":
        return k();
      case "somein":
        return this.evalTerm(e.collection, env, (coll) => this.iterate(coll, (key, val) => this.unifyValue(e.value, val, env, () => (e.key ? this.unifyValue(e.key, key, env, k) : k()))));
      case "every":
        return this.evalTerm(e.domain, env, (coll) => {
          if (coll === null || typeof coll !== "object") return false;
          let all = true;
          this.iterate(coll, (key, val) => {
            const ok = this.unifyValue(e.value, val, env, () => (e.key ? this.unifyValue(e.key, key, env, () => this.evalBody(e.body, 0, env, () => true)) : this.evalBody(e.body, 0, env, () => true)));
            if (!ok) all = false;
            return !ok;
          });
          return all ? k() : false;
        });
    }
  }

  /** Evaluates a term to each of its values. */
  evalTerm(t: Term, env: Env, k: ValueCont): boolean {
    switch (t.t) {
      case "scalar":
        return k(t.v);
      case "var": {
        const v = env.get(t.name);
        if (v !== undefined) return k(v);
        if (t.name === "input") return this.state.input === undefined ? false : k(this.state.input);
        if (t.name === "data") return this.docs.evalDataRef([], env, k);
        throw new RegoError("eval_internal_error", `var ${t.name} is unbound`);
      }
      case "ref":
        return this.evalRef(t, env, k);
      case "array":
        return this.evalTerms(t.items, 0, [], env, (vals) => k(vals));
      case "set":
        return this.evalTerms(t.items, 0, [], env, (vals) => k(RegoSet.from(vals)));
      case "object": {
        const flat = t.items.flat();
        return this.evalTerms(flat, 0, [], env, (vals) => {
          const o = new RegoObject();
          for (let i = 0; i < vals.length; i += 2) {
            const prev = o.get(vals[i]);
            if (prev !== undefined && !valuesEqual(prev, vals[i + 1])) throw new RegoError("eval_conflict_error", "object keys must be unique");
            o.set(vals[i], vals[i + 1]);
          }
          return k(o);
        });
      }
      case "arraycomp": {
        const out: Value[] = [];
        this.evalBody(t.body, 0, env, () => this.evalTerm(t.term, env, (v) => (out.push(v), false)));
        return k(out);
      }
      case "setcomp": {
        const out = new RegoSet();
        this.evalBody(t.body, 0, env, () => this.evalTerm(t.term, env, (v) => (out.add(v), false)));
        return k(out);
      }
      case "objcomp": {
        const out = new RegoObject();
        this.evalBody(t.body, 0, env, () =>
          this.evalTerm(t.key, env, (key) =>
            this.evalTerm(t.value, env, (v) => {
              const prev = out.get(key);
              if (prev !== undefined && !valuesEqual(prev, v)) throw new RegoError("eval_conflict_error", "object keys must be unique");
              out.set(key, v);
              return false;
            }),
          ),
        );
        return k(out);
      }
      case "call":
        return this.evalCall(t.op, t.args, env, k);
      case "template":
        return this.evalTemplate(t.parts, env, k);
      case "fnref":
        throw new RegoError("rego_type_error", `function ${t.op} used as a value`);
    }
  }

  evalTerms(ts: Term[], i: number, acc: Value[], env: Env, k: (vals: Value[]) => boolean): boolean {
    if (i === 0 && ts.length > 1) {
      for (let j = 0; j < ts.length; j++) {
        const t = ts[j];
        if (t.t === "var" && !env.has(t.name) && t.name !== "input" && t.name !== "data") return this.evalTermsVarsLast(ts, env, k);
      }
    }
    if (i === ts.length) return k(acc.slice());
    return this.evalTerm(ts[i], env, (v) => {
      acc.push(v);
      const r = this.evalTerms(ts, i + 1, acc, env, k);
      acc.pop();
      return r;
    });
  }

  /** Evaluates unbound-var arguments after the others, which may bind them by iteration (`x == a[x]`). */
  private evalTermsVarsLast(ts: Term[], env: Env, k: (vals: Value[]) => boolean): boolean {
    const order = ts.map((_, i) => i).sort((a, b) => Number(ts[a].t === "var") - Number(ts[b].t === "var"));
    return this.evalTermsInOrder(ts, order, 0, new Array<Value>(ts.length), env, k);
  }

  private evalTermsInOrder(ts: Term[], order: number[], j: number, vals: Value[], env: Env, k: (vals: Value[]) => boolean): boolean {
    if (j === order.length) return k(vals.slice());
    const idx = order[j];
    return this.evalTerm(ts[idx], env, (v) => {
      vals[idx] = v;
      return this.evalTermsInOrder(ts, order, j + 1, vals, env, k);
    });
  }

  private evalTemplate(parts: (string | Term)[], env: Env, k: ValueCont): boolean {
    let s = "";
    for (const p of parts) {
      if (typeof p === "string") s += p;
      else {
        const vals: Value[] = [];
        if (p.t === "arraycomp" && p.single) this.evalTerm(p, env, (arr) => (vals.push(...(arr as Value[])), false));
        else this.evalTerm(p, env, (v) => (vals.push(v), vals.length > 1));
        if (vals.length > 1) throw new RegoError("eval_conflict_error", "template expression produced multiple outputs");
        s += vals.length === 0 ? "<undefined>" : typeof vals[0] === "string" ? vals[0] : regoString(vals[0]);
      }
    }
    return k(s);
  }

  evalRef(t: Term & { t: "ref" }, env: Env, k: ValueCont): boolean {
    const head = t.head;
    if (head.t === "var") {
      const bound = env.get(head.name);
      if (bound !== undefined) return this.walk(bound, t.path, 0, env, k);
      if (head.name === "data") return this.docs.evalDataRef(t.path, env, k);
      if (head.name === "input") return this.state.input === undefined ? false : this.walk(this.state.input, t.path, 0, env, k);
      throw new RegoError("eval_internal_error", `var ${head.name} is unbound`);
    }
    return this.evalTerm(head, env, (v) => this.walk(v, t.path, 0, env, k));
  }

  /** Follows a ref path into a value, iterating where a key is an unbound var or a pattern. */
  walk(v: Value, path: Term[], i: number, env: Env, k: ValueCont): boolean {
    if (i === path.length) return k(v);
    const key = path[i];
    if (key.t === "scalar") {
      const child = lookup(v, key.v);
      return child === undefined ? false : this.walk(child, path, i + 1, env, k);
    }
    if (key.t === "var") {
      const b = env.get(key.name);
      if (b !== undefined) {
        const child = lookup(v, b);
        return child === undefined ? false : this.walk(child, path, i + 1, env, k);
      }
      return this.iterate(v, (kk, child) => {
        env.set(key.name, kk);
        const r = this.walk(child, path, i + 1, env, k);
        env.delete(key.name);
        return r;
      });
    }
    if (hasUnboundVars(key, env)) {
      return this.iterate(v, (kk, child) => this.unifyValue(key, kk, env, () => this.walk(child, path, i + 1, env, k)));
    }
    return this.evalTerm(key, env, (kv) => {
      const child = lookup(v, kv);
      return child === undefined ? false : this.walk(child, path, i + 1, env, k);
    });
  }

  iterate(coll: Value, k: (key: Value, value: Value) => boolean): boolean {
    if (Array.isArray(coll)) {
      for (let i = 0; i < coll.length; i++) if (k(i, coll[i])) return true;
    } else if (coll instanceof RegoSet) {
      // Collections are immutable once built, so they are iterated in place.
      for (const x of coll.map.values()) if (k(x, x)) return true;
    } else if (coll instanceof RegoObject) {
      for (const e of coll.map.values()) if (k(e[0], e[1])) return true;
    }
    return false;
  }

  unify(a: Term, b: Term, env: Env, k: Cont): boolean {
    if (a.t === "var" && !env.has(a.name) && a.name !== "input" && a.name !== "data") return this.evalTerm(b, env, (v) => this.unifyValue(a, v, env, k));
    if (b.t === "var" && !env.has(b.name) && b.name !== "input" && b.name !== "data") return this.evalTerm(a, env, (v) => this.unifyValue(b, v, env, k));
    if (a.t === "array" && b.t === "array") {
      if (a.items.length !== b.items.length) return false;
      return this.unifyPairwise(a.items, b.items, 0, env, k);
    }
    if (a.t === "object" && b.t === "object" && a.items.length === b.items.length) {
      const pairs = matchObjectItems(a, b);
      if (pairs) {
        return this.unifyPairwise(pairs.map((p) => p[0]), pairs.map((p) => p[1]), 0, env, k);
      }
    }
    if (!hasUnboundVars(a, env)) return this.evalTerm(a, env, (v) => this.unifyValue(b, v, env, k));
    return this.evalTerm(b, env, (v) => this.unifyValue(a, v, env, k));
  }

  /** Unifies a (possibly partially bound) term with a value, binding its free vars. */
  unifyValue(t: Term, v: Value, env: Env, k: Cont): boolean {
    switch (t.t) {
      case "var": {
        const b = env.get(t.name);
        if (b !== undefined) return valuesEqual(b, v) ? k() : false;
        if (t.name === "input" || t.name === "data") return this.evalTerm(t, env, (x) => (valuesEqual(x, v) ? k() : false));
        env.set(t.name, v);
        const r = k();
        env.delete(t.name);
        return r;
      }
      case "scalar":
        return valuesEqual(t.v, v) ? k() : false;
      case "array": {
        if (!Array.isArray(v) || v.length !== t.items.length) return false;
        return this.unifyItems(t.items, v, 0, env, k);
      }
      case "object": {
        if (!(v instanceof RegoObject) || v.size !== t.items.length) return false;
        return this.unifyObjectItems(t.items, v, 0, env, k);
      }
      default:
        return this.evalTerm(t, env, (x) => (valuesEqual(x, v) ? k() : false));
    }
  }

  private unifyPairwise(as: Term[], bs: Term[], i: number, env: Env, k: Cont): boolean {
    if (i === as.length) return k();
    return this.unify(as[i], bs[i], env, () => this.unifyPairwise(as, bs, i + 1, env, k));
  }

  private unifyItems(ts: Term[], vs: Value[], i: number, env: Env, k: Cont): boolean {
    if (i === ts.length) return k();
    return this.unifyValue(ts[i], vs[i], env, () => this.unifyItems(ts, vs, i + 1, env, k));
  }

  private unifyObjectItems(items: [Term, Term][], v: RegoObject, i: number, env: Env, k: Cont): boolean {
    if (i === items.length) return k();
    return this.evalTerm(items[i][0], env, (key) => {
      const child = v.get(key);
      return child === undefined ? false : this.unifyValue(items[i][1], child, env, () => this.unifyObjectItems(items, v, i + 1, env, k));
    });
  }

  evalCall(op: string, args: Term[], env: Env, k: ValueCont): boolean {
    const override = this.state.fnOverrides.size ? this.state.fnOverrides.get(op) : undefined;
    if (override) {
      const arity = this.declaredArity(op) ?? args.length;
      if (override.value !== undefined) {
        const n = Math.min(arity, args.length);
        return this.evalTerms(args.slice(0, n), 0, [], env, () => this.finishCall(args, n, override.value!, env, k));
      }
      // Arguments are evaluated where the call is written (mocks still apply there); inside the
      // replacement no mocks apply: it may call what it mocks, and never another mock.
      const replacement = override.op!;
      const n = Math.min(arity, args.length);
      return this.evalTerms(args.slice(0, n), 0, [], env, (vals) => {
        const outer = this.state;
        this.state = { ...outer, fnOverrides: new Map(), cache: new Map() };
        let results: Value[];
        try {
          results = this.callWithValues(replacement, vals);
        } finally {
          this.state = outer;
        }
        return results.some((r) => this.finishCall(args, n, r, env, k));
      });
    }
    const fnNode = op.startsWith("data.") ? this.compiled.functions.get(op) : undefined;
    if (fnNode) {
      const arity = (fnNode.functions[0] ?? fnNode.defaultFunction)?.args?.length ?? 0;
      return this.evalTerms(arity === args.length ? args : args.slice(0, arity), 0, [], env, (vals) => {
        return this.docs.callFunction(fnNode, vals, (result) => this.finishCall(args, arity, result, env, k));
      });
    }
    const b = getBuiltin(op);
    if (!b) {
      if (op.startsWith("data.")) {
        // A ref to a non-function used as a call: undefined.
        return false;
      }
      throw new RegoError("eval_builtin_error", `unsupported built-in: ${op}`);
    }
    if (b.variadic) return this.evalTerms(args, 0, [], env, (vals) => this.finishCall(args, args.length, this.callSafely(op, b, vals) ?? true, env, k));
    if (args.length > b.arity + 1) throw new RegoError("rego_type_error", `${op}: too many arguments`);
    const n = Math.min(b.arity, args.length);
    return this.evalTerms(n === args.length ? args : args.slice(0, n), 0, [], env, (vals) => {
      const result = this.callSafely(op, b, vals);
      if (result === undefined) return false;
      if (b.relation) return (result as Value[]).some((alt) => this.finishCall(args, n, alt, env, k));
      return this.finishCall(args, n, result, env, k);
    });
  }

  /** Calls a function or built-in on evaluated arguments; returns its outputs (none if undefined). */
  private callWithValues(op: string, vals: Value[]): Value[] {
    const fnNode = op.startsWith("data.") ? this.compiled.functions.get(op) : undefined;
    const out: Value[] = [];
    if (fnNode) {
      this.docs.callFunction(fnNode, vals, (r) => (out.push(r), false));
      return out;
    }
    const b = getBuiltin(op);
    if (!b) throw new RegoError("eval_builtin_error", `unsupported built-in: ${op}`);
    const r = this.callSafely(op, b, vals);
    if (r === undefined) return out;
    return b.relation ? (r as Value[]) : [r];
  }

  declaredArity(op: string): number | undefined {
    const node = op.startsWith("data.") ? this.compiled.functions.get(op) : undefined;
    if (node) return (node.functions[0] ?? node.defaultFunction)?.args?.length;
    const b = getBuiltin(op);
    return b && !b.variadic ? b.arity : undefined;
  }

  /** Runs a built-in; in non-strict mode its errors make the expression undefined. */
  private callSafely(op: string, b: Builtin, vals: Value[]): Value | undefined {
    try {
      return b.fn(vals, this.builtinCtx);
    } catch (err) {
      if (err instanceof BuiltinError) {
        if (!this.builtinCtx.strict && !err.halts) return undefined;
        const msg = !err.message.startsWith(op + ":") && err.code === "eval_builtin_error" ? `${op}: ${err.message}` : err.message;
        const at = this.currentExpr ? `${this.currentExpr.file ?? "query"}:${this.currentExpr.line}: ` : "";
        throw new RegoError(err.code, `${at}${err.code}: ${msg}`);
      }
      throw err;
    }
  }

  private finishCall(args: Term[], arity: number, result: Value, env: Env, k: ValueCont): boolean {
    if (args.length > arity) return this.unifyValue(args[arity], result, env, () => k(true));
    return k(result);
  }
}

