// Safety reordering: OPA reorders body expressions so every variable is bound before it is
// used as an input (a built-in argument, a ref head, a negated expression, a comprehension
// closure). We keep the written order where possible and move an expression only when it
// needs a variable that a later expression binds, exactly like OPA's stable greedy pass.
import type { Expr, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { bodyVars, patternVars, termVars } from "./walk.ts";

export interface SafetyContext {
  /** Declared parameter count of a function (built-in or rule) for output-argument calls. */
  arity: (op: string) => number | undefined;
  file: string;
}

type Outputs = Set<string> | null;

const ROOTS = new Set(["input", "data"]);

/** Vars of a term that must already be bound, and the ones it binds by iteration (ref keys). */
function valueSafe(t: Term, boundIn: Set<string>, scopeVars: Set<string>, missing: Set<string>): Outputs {
  // Ref keys bind by iteration wherever they appear in the term (`x == a[x]`), so collect them first.
  const out = new Set<string>();
  collectRefOutputs(t, boundIn, out);
  const bound = out.size ? union(boundIn, out) : boundIn;
  const visit = (x: Term): void => {
    switch (x.t) {
      case "var":
        if (!bound.has(x.name) && !out.has(x.name) && !ROOTS.has(x.name)) missing.add(x.name);
        break;
      case "ref":
        if (x.head.t === "var") visit(x.head);
        else visit(x.head);
        for (const p of x.path) {
          if (p.t === "var") {
            if (!bound.has(p.name)) out.add(p.name);
          } else if (p.t === "array" || p.t === "object") patternVars(p, out);
          else visit(p);
        }
        break;
      case "array":
      case "set":
        x.items.forEach(visit);
        break;
      case "object":
        x.items.forEach(([k, v]) => (visit(k), visit(v)));
        break;
      case "call":
        x.args.forEach(visit);
        break;
      case "template":
        x.parts.forEach((p) => typeof p !== "string" && visit(p));
        break;
      case "arraycomp":
      case "setcomp":
      case "objcomp":
        for (const v of closureVars(x, scopeVars)) if (!bound.has(v)) missing.add(v);
        break;
    }
  };
  visit(t);
  return missing.size ? null : out;
}

function collectRefOutputs(t: Term, bound: Set<string>, out: Set<string>): void {
  switch (t.t) {
    case "ref":
      collectRefOutputs(t.head, bound, out);
      for (const p of t.path) {
        if (p.t === "var" && !bound.has(p.name)) out.add(p.name);
        else collectRefOutputs(p, bound, out);
      }
      break;
    case "array":
    case "set":
      t.items.forEach((x) => collectRefOutputs(x, bound, out));
      break;
    case "object":
      t.items.forEach(([k, v]) => (collectRefOutputs(k, bound, out), collectRefOutputs(v, bound, out)));
      break;
    case "call":
      t.args.forEach((x) => collectRefOutputs(x, bound, out));
      break;
    default:
      break;
  }
}

/** Vars used inside a comprehension that belong to the enclosing scope. */
function closureVars(t: Term, scopeVars: Set<string>): string[] {
  const inner = termVars(t, new Set());
  return [...inner].filter((v) => scopeVars.has(v) && !v.startsWith("$") && !ROOTS.has(v));
}

function patternSafe(t: Term, bound: Set<string>, scopeVars: Set<string>, missing: Set<string>): Outputs {
  if (t.t === "var") return bound.has(t.name) ? new Set() : new Set([t.name]);
  if (t.t === "array") return foldAll(t.items.map((x) => (b: Set<string>) => patternSafe(x, b, scopeVars, missing)), bound);
  if (t.t === "object") {
    const keys = foldAll(t.items.map(([k]) => (b: Set<string>) => valueSafe(k, b, scopeVars, missing)), bound);
    if (!keys) return null;
    const vals = foldAll(t.items.map(([, v]) => (b: Set<string>) => patternSafe(v, b, scopeVars, missing)), union(bound, keys));
    return vals && union(keys, vals);
  }
  return valueSafe(t, bound, scopeVars, missing);
}

function foldAll(steps: ((b: Set<string>) => Outputs)[], bound: Set<string>): Outputs {
  const out = new Set<string>();
  let b = bound;
  for (const step of steps) {
    const r = step(b);
    if (!r) return null;
    for (const v of r) out.add(v);
    b = union(b, r);
  }
  return out;
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  const u = new Set(a);
  for (const v of b) u.add(v);
  return u;
}

function unifySafe(a: Term, b: Term, bound: Set<string>, scope: Set<string>, missing: Set<string>): Outputs {
  if (a.t === "var" && !bound.has(a.name) && !ROOTS.has(a.name)) {
    const r = valueSafe(b, bound, scope, new Set());
    if (r) return union(r, new Set([a.name]));
  }
  if (b.t === "var" && !bound.has(b.name) && !ROOTS.has(b.name)) {
    const r = valueSafe(a, bound, scope, new Set());
    if (r) return union(r, new Set([b.name]));
  }
  if (a.t === "array" && b.t === "array" && a.items.length === b.items.length) {
    const r = foldAll(a.items.map((x, i) => (bb: Set<string>) => unifySafe(x, b.items[i], bb, scope, missing)), bound);
    if (r) return r;
  }
  if (a.t === "object" && b.t === "object" && a.items.length === b.items.length) {
    const pairs = matchObjectItems(a, b);
    if (pairs) {
      const r = foldAll(pairs.map(([x, y]) => (bb: Set<string>) => unifySafe(x, y, bb, scope, missing)), bound);
      if (r) return r;
    }
  }
  const ra = valueSafe(a, bound, scope, new Set());
  if (ra) {
    const rb = patternSafe(b, union(bound, ra), scope, new Set());
    if (rb) return union(ra, rb);
  }
  const rb = valueSafe(b, bound, scope, new Set());
  if (rb) {
    const r2 = patternSafe(a, union(bound, rb), scope, new Set());
    if (r2) return union(rb, r2);
  }
  valueSafe(a, bound, scope, missing);
  valueSafe(b, bound, scope, missing);
  if (!missing.size) for (const v of patternVars(a, new Set())) if (!bound.has(v)) missing.add(v);
  return null;
}

/** Pairs the values of two object literals with the same ground scalar keys. */
export function matchObjectItems(a: Term & { t: "object" }, b: Term & { t: "object" }): [Term, Term][] | null {
  const pairs: [Term, Term][] = [];
  for (const [ka, va] of a.items) {
    if (ka.t !== "scalar") return null;
    const hit = b.items.find(([kb]) => kb.t === "scalar" && kb.v === ka.v);
    if (!hit) return null;
    pairs.push([va, hit[1]]);
  }
  return pairs;
}

function exprSafe(e: Expr, bound: Set<string>, scope: Set<string>, ctx: SafetyContext, missing: Set<string>): Outputs {
  for (const w of e.with) if (!valueSafe(w.value, bound, scope, missing)) return null;
  if (e.negated) {
    const vars = exprVarsShallow(e);
    for (const v of vars) if (scope.has(v) && !bound.has(v) && !v.startsWith("$") && !ROOTS.has(v)) missing.add(v);
    return missing.size ? null : new Set();
  }
  switch (e.kind) {
    case "some":
      return new Set();
    case "term": {
      const t = e.term;
      if (t.t === "call") {
        const arity = ctx.arity(t.op);
        if (arity !== undefined && t.args.length === arity + 1) {
          const ins = foldAll(t.args.slice(0, arity).map((x) => (b: Set<string>) => valueSafe(x, b, scope, missing)), bound);
          if (!ins) return null;
          const out = patternSafe(t.args[arity], union(bound, ins), scope, missing);
          return out && union(ins, out);
        }
      }
      return valueSafe(t, bound, scope, missing);
    }
    case "unify":
    case "assign":
      return unifySafe(e.left, e.right, bound, scope, missing);
    case "somein": {
      const c = valueSafe(e.collection, bound, scope, missing);
      if (!c) return null;
      const steps = [(b: Set<string>) => patternSafe(e.value, b, scope, missing)];
      if (e.key) steps.push((b: Set<string>) => patternSafe(e.key!, b, scope, missing));
      const r = foldAll(steps, union(bound, c));
      return r && union(c, r);
    }
    case "every": {
      const d = valueSafe(e.domain, bound, scope, missing);
      if (!d) return null;
      const own = patternVars(e.value, new Set());
      if (e.key) patternVars(e.key, own);
      for (const v of bodyVars(e.body, new Set())) if (scope.has(v) && !own.has(v) && !bound.has(v) && !v.startsWith("$") && !ROOTS.has(v)) missing.add(v);
      return missing.size ? null : d;
    }
  }
}

/** Vars of an expression outside nested bodies. */
function exprVarsShallow(e: Expr): Set<string> {
  const out = new Set<string>();
  const add = (t: Term) => shallowTermVars(t, out);
  switch (e.kind) {
    case "term":
      add(e.term);
      break;
    case "unify":
    case "assign":
      add(e.left);
      add(e.right);
      break;
    case "somein":
      if (e.key) add(e.key);
      add(e.value);
      add(e.collection);
      break;
    case "every":
      add(e.domain);
      break;
    case "some":
      break;
  }
  return out;
}

/** Vars of a term, not descending into comprehension bodies. */
function shallowTermVars(t: Term, out: Set<string>): void {
  switch (t.t) {
    case "var":
      out.add(t.name);
      break;
    case "ref":
      shallowTermVars(t.head, out);
      t.path.forEach((p) => shallowTermVars(p, out));
      break;
    case "array":
    case "set":
      t.items.forEach((x) => shallowTermVars(x, out));
      break;
    case "object":
      t.items.forEach(([k, v]) => (shallowTermVars(k, out), shallowTermVars(v, out)));
      break;
    case "call":
      t.args.forEach((x) => shallowTermVars(x, out));
      break;
    case "template":
      t.parts.forEach((p) => typeof p !== "string" && shallowTermVars(p, out));
      break;
    default:
      break;
  }
}

/**
 * Reorders a body so each expression's inputs are bound first; nested bodies are reordered
 * with the variables bound at the point where they run. `outer` are vars of enclosing scopes.
 */
export function reorderBody(body: Expr[], bound: Set<string>, outer: Set<string>, ctx: SafetyContext): Expr[] {
  const scope = new Set(outer);
  for (const e of body) for (const v of exprVarsShallow(e)) scope.add(v);
  const remaining = [...body];
  const ordered: Expr[] = [];
  let b = new Set(bound);
  while (remaining.length) {
    let picked = -1;
    let outputs: Set<string> | null = null;
    for (let i = 0; i < remaining.length; i++) {
      outputs = exprSafe(remaining[i], b, scope, ctx, new Set());
      if (outputs) {
        picked = i;
        break;
      }
    }
    if (picked < 0) {
      const missing = new Set<string>();
      exprSafe(remaining[0], b, scope, ctx, missing);
      const name = [...missing][0] ?? "?";
      throw new RegoError("rego_unsafe_var_error", `${ctx.file}:${remaining[0].line}: rego_unsafe_var_error: var ${displayName(name)} is unsafe`);
    }
    const [e] = remaining.splice(picked, 1);
    ordered.push(reorderNested(e, b, scope, ctx));
    b = union(b, outputs!);
    if (e.kind === "some") for (const v of e.vars) scope.add(v);
  }
  return ordered;
}

function displayName(v: string): string {
  return v.replace(/\$\d+$/, "");
}

function reorderNested(e: Expr, bound: Set<string>, scope: Set<string>, ctx: SafetyContext): Expr {
  const t = (x: Term) => reorderTerm(x, bound, scope, ctx);
  const withs = e.with.map((w) => ({ target: w.target, value: t(w.value) }));
  switch (e.kind) {
    case "term":
      return { ...e, with: withs, term: t(e.term) };
    case "unify":
    case "assign":
      return { ...e, with: withs, left: t(e.left), right: t(e.right) };
    case "somein":
      return { ...e, with: withs, collection: t(e.collection) };
    case "every": {
      const own = patternVars(e.value, new Set());
      if (e.key) patternVars(e.key, own);
      return { ...e, with: withs, domain: t(e.domain), body: reorderBody(e.body, union(bound, own), scope, ctx) };
    }
    default:
      return e;
  }
}

export function reorderTerm(x: Term, bound: Set<string>, scope: Set<string>, ctx: SafetyContext): Term {
  const r = (y: Term) => reorderTerm(y, bound, scope, ctx);
  switch (x.t) {
    case "ref":
      return { t: "ref", head: r(x.head), path: x.path.map(r) };
    case "array":
    case "set":
      return { t: x.t, items: x.items.map(r) } as Term;
    case "object":
      return { t: "object", items: x.items.map(([k, v]) => [r(k), r(v)] as [Term, Term]) };
    case "call":
      return { ...x, args: x.args.map(r) };
    case "template":
      return { t: "template", parts: x.parts.map((p) => (typeof p === "string" ? p : r(p))) };
    case "arraycomp":
    case "setcomp": {
      const body = reorderBody(x.body, bound, scope, ctx);
      return { t: x.t, term: x.term, body, ...(x.t === "arraycomp" && x.single ? { single: true } : {}) };
    }
    case "objcomp":
      return { t: "objcomp", key: x.key, value: x.value, body: reorderBody(x.body, bound, scope, ctx) };
    default:
      return x;
  }
}
