// Name resolution: a var that names a rule of the package or an import alias becomes a data
// ref; vars declared in nested scopes (comprehensions, `every`, `some` inside them) get unique
// names so they cannot collide with the enclosing body, which shares one binding map.
import type { Expr, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { patternVars } from "./walk.ts";

export interface ResolveContext {
  packagePath: string[];
  /** First segments of the package's rule heads (across all its modules). */
  ruleNames: Set<string>;
  /** Import alias → ref path (e.g. `input.user` or `data.lib`). */
  imports: Map<string, string[]>;
  isBuiltin: (name: string) => boolean;
  /** Full dotted names of function rules, e.g. `data.pkg.f`. */
  functionNames: Set<string>;
  counter: { n: number };
  file: string;
}

class Scope {
  readonly renames = new Map<string, string>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): string | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const r = s.renames.get(name);
      if (r !== undefined) return r;
    }
    return undefined;
  }
}

export function newScope(): Scope {
  return new Scope();
}
export type { Scope };

function declaredIn(body: Expr[]): Set<string> {
  const out = new Set<string>();
  for (const e of body) {
    if (e.kind === "some") e.vars.forEach((v) => out.add(v));
    else if (e.kind === "somein") {
      if (e.key) patternVars(e.key, out);
      patternVars(e.value, out);
    } else if (e.kind === "assign") patternVars(e.left, out);
  }
  return out;
}

/**
 * Resolves a body in `scope` (the caller creates a fresh scope for nested bodies). Declarations
 * take effect from the declaring expression on, as in OPA; `rename` gives them unique names.
 */
export function resolveBody(body: Expr[], scope: Scope, ctx: ResolveContext, rename: boolean): Expr[] {
  return body.map((e) => {
    for (const name of declaredIn([e])) {
      if (name.startsWith("$") || scope.renames.has(name)) continue;
      scope.renames.set(name, rename ? `${name}$${ctx.counter.n++}` : name);
    }
    return resolveExpr(e, scope, ctx);
  });
}

function resolveExpr(e: Expr, scope: Scope, ctx: ResolveContext): Expr {
  const t = (x: Term) => resolveTerm(x, scope, ctx);
  const withs = e.with.map((w) => ({ target: resolveWithTarget(w.target, scope, ctx), value: resolveWithValue(w.value, scope, ctx) }));
  const base = { negated: e.negated, with: withs, line: e.line, file: e.file, text: e.text };
  switch (e.kind) {
    case "term":
      return { ...base, kind: "term", term: t(e.term) };
    case "unify":
    case "assign":
      return { ...base, kind: e.kind, left: t(e.left), right: t(e.right) };
    case "some":
      return { ...base, kind: "some", vars: e.vars.map((v) => scope.lookup(v) ?? v) };
    case "somein":
      return { ...base, kind: "somein", key: e.key && t(e.key), value: t(e.value), collection: t(e.collection) };
    case "every": {
      const inner = new Scope(scope);
      const declared = new Set<string>();
      if (e.key) patternVars(e.key, declared);
      patternVars(e.value, declared);
      for (const name of declared) inner.renames.set(name, name.startsWith("$") ? name : `${name}$${ctx.counter.n++}`);
      const rt = (x: Term) => resolveTerm(x, inner, ctx);
      return { ...base, kind: "every", key: e.key && rt(e.key), value: rt(e.value), domain: t(e.domain), body: resolveBody(e.body, new Scope(inner), ctx, true) };
    }
  }
}

function resolveWithTarget(target: Term, scope: Scope, ctx: ResolveContext): Term {
  // `with f as …` may name a function or built-in: keep the name, resolved like a call.
  const name = refName(target);
  if (name !== undefined && name !== "input" && name !== "data" && !name.startsWith("input.") && !name.startsWith("data.")) {
    return { t: "call", op: resolveCallName(name, ctx, true), args: [] };
  }
  return resolveTerm(target, scope, ctx);
}

/** `with f as g`: a value naming a function or built-in (not a local var) replaces by reference. */
function resolveWithValue(value: Term, scope: Scope, ctx: ResolveContext): Term {
  const name = refName(value);
  if (name !== undefined && scope.lookup(name.split(".")[0]) === undefined) {
    const op = resolveCallName(name, ctx, true);
    if (ctx.functionNames.has(op) || (!op.startsWith("data.") && ctx.isBuiltin(op) && !ctx.ruleNames.has(name))) return { t: "fnref", op };
  }
  return resolveTerm(value, scope, ctx);
}

function refName(t: Term): string | undefined {
  if (t.t === "var") return t.name;
  if (t.t === "ref" && t.head.t === "var" && t.path.every((p) => p.t === "scalar" && typeof p.v === "string")) {
    return [t.head.name, ...t.path.map((p) => (p as { v: string }).v)].join(".");
  }
  return undefined;
}

export function resolveTerm(term: Term, scope: Scope, ctx: ResolveContext): Term {
  const onVar = (name: string): Term => resolveVar(name, scope, ctx);
  switch (term.t) {
    case "arraycomp":
    case "setcomp": {
      const inner = new Scope(scope);
      const body = resolveBody(term.body, inner, ctx, true);
      return { t: term.t, term: resolveTerm(term.term, inner, ctx), body, ...(term.t === "arraycomp" && term.single ? { single: true } : {}) };
    }
    case "objcomp": {
      const inner = new Scope(scope);
      const body = resolveBody(term.body, inner, ctx, true);
      return { t: "objcomp", key: resolveTerm(term.key, inner, ctx), value: resolveTerm(term.value, inner, ctx), body };
    }
    case "call": {
      const op = resolveCallName(term.op, ctx, false);
      return { t: "call", op, args: term.args.map((a) => resolveTerm(a, scope, ctx)) };
    }
    case "ref": {
      const head = term.head.t === "var" ? onVar(term.head.name) : resolveTerm(term.head, scope, ctx);
      const path = term.path.map((p) => resolveTerm(p, scope, ctx));
      if (head.t === "ref") return { t: "ref", head: head.head, path: [...head.path, ...path] };
      return { t: "ref", head, path };
    }
    case "var":
      return onVar(term.name);
    case "scalar":
      return term;
    default:
      return mapChildren(term, scope, ctx);
  }
}

function mapChildren(term: Term, scope: Scope, ctx: ResolveContext): Term {
  const r = (x: Term) => resolveTerm(x, scope, ctx);
  switch (term.t) {
    case "array":
      return { t: "array", items: term.items.map(r) };
    case "set":
      return { t: "set", items: term.items.map(r) };
    case "object":
      return { t: "object", items: term.items.map(([k, v]) => [r(k), r(v)] as [Term, Term]) };
    case "template":
      return { t: "template", parts: term.parts.map((p) => (typeof p === "string" ? p : r(p))) };
    default:
      return term;
  }
}

function resolveVar(name: string, scope: Scope, ctx: ResolveContext): Term {
  const local = scope.lookup(name);
  if (local !== undefined) return { t: "var", name: local };
  if (name === "input" || name === "data" || name.startsWith("$")) return { t: "var", name };
  const imp = ctx.imports.get(name);
  if (imp) return pathToRef(imp);
  if (ctx.ruleNames.has(name)) return pathToRef(["data", ...ctx.packagePath, name]);
  return { t: "var", name };
}

/** OPA built-ins this engine does not implement: named as such so the error is not mistaken for a typo. */
const KNOWN_UNSUPPORTED = ["graphql", "crypto.x509.parse_and_verify_certificates_with_options", "rego.parse_module", "rego.metadata", "test.sleep", "net.cidr_overlap_matches"];

export function pathToRef(path: string[]): Term {
  if (path.length === 1) return { t: "var", name: path[0] };
  return { t: "ref", head: { t: "var", name: path[0] }, path: path.slice(1).map((s) => ({ t: "scalar", v: s })) };
}

/** Resolves a call name to `data.…` for function rules or the built-in name. */
export function resolveCallName(op: string, ctx: ResolveContext, lenient: boolean): string {
  const parts = op.split(".");
  let full: string | undefined;
  const imp = ctx.imports.get(parts[0]);
  if (imp) full = [...imp, ...parts.slice(1)].join(".");
  else if (ctx.ruleNames.has(parts[0])) full = ["data", ...ctx.packagePath, ...parts].join(".");
  else if (parts[0] === "data") full = op;
  if (full !== undefined) return full;
  if (ctx.isBuiltin(op) || lenient) return op;
  const hint = KNOWN_UNSUPPORTED.some((p) => op === p || op.startsWith(p + ".")) ? ` (unsupported built-in: ${op})` : "";
  throw new RegoError("rego_type_error", `${ctx.file}: rego_type_error: undefined function ${op}${hint}`);
}
