// Generic traversal helpers over terms and expressions.
import type { Expr, Term } from "../ast.ts";

/** Rebuilds a term bottom-up with `fn` applied to every var (not inside nested bodies, which `body` handles). */
export function mapTerm(t: Term, onVar: (name: string) => Term, onBody: (body: Expr[]) => Expr[]): Term {
  const m = (x: Term) => mapTerm(x, onVar, onBody);
  switch (t.t) {
    case "scalar":
      return t;
    case "var":
      return onVar(t.name);
    case "ref":
      return { t: "ref", head: m(t.head), path: t.path.map(m) };
    case "array":
      return { t: "array", items: t.items.map(m) };
    case "set":
      return { t: "set", items: t.items.map(m) };
    case "object":
      return { t: "object", items: t.items.map(([k, v]) => [m(k), m(v)] as [Term, Term]) };
    case "call":
      return { ...t, args: t.args.map(m) };
    case "template":
      return { t: "template", parts: t.parts.map((p) => (typeof p === "string" ? p : m(p))) };
    case "arraycomp":
    case "setcomp":
    case "objcomp":
    case "fnref":
      // Comprehension terms are rewritten by the body handler together with their body.
      return t;
  }
}

/** Vars appearing anywhere in a term, including nested comprehension bodies. */
export function termVars(t: Term, out: Set<string>): Set<string> {
  switch (t.t) {
    case "var":
      out.add(t.name);
      break;
    case "ref":
      termVars(t.head, out);
      t.path.forEach((p) => termVars(p, out));
      break;
    case "array":
    case "set":
      t.items.forEach((x) => termVars(x, out));
      break;
    case "object":
      t.items.forEach(([k, v]) => (termVars(k, out), termVars(v, out)));
      break;
    case "call":
      t.args.forEach((x) => termVars(x, out));
      break;
    case "template":
      t.parts.forEach((p) => typeof p !== "string" && termVars(p, out));
      break;
    case "arraycomp":
    case "setcomp":
      termVars(t.term, out);
      bodyVars(t.body, out);
      break;
    case "objcomp":
      termVars(t.key, out);
      termVars(t.value, out);
      bodyVars(t.body, out);
      break;
  }
  return out;
}

export function exprVars(e: Expr, out: Set<string>): Set<string> {
  switch (e.kind) {
    case "term":
      termVars(e.term, out);
      break;
    case "unify":
    case "assign":
      termVars(e.left, out);
      termVars(e.right, out);
      break;
    case "some":
      e.vars.forEach((v) => out.add(v));
      break;
    case "somein":
      if (e.key) termVars(e.key, out);
      termVars(e.value, out);
      termVars(e.collection, out);
      break;
    case "every":
      if (e.key) termVars(e.key, out);
      termVars(e.value, out);
      termVars(e.domain, out);
      bodyVars(e.body, out);
      break;
  }
  for (const w of e.with) {
    termVars(w.target, out);
    termVars(w.value, out);
  }
  return out;
}

export function bodyVars(body: Expr[], out: Set<string>): Set<string> {
  for (const e of body) exprVars(e, out);
  return out;
}

/** Vars in "pattern" positions: the term itself or nested inside array/object/set literals. */
export function patternVars(t: Term, out: Set<string>): Set<string> {
  if (t.t === "var") out.add(t.name);
  else if (t.t === "array") t.items.forEach((x) => patternVars(x, out));
  else if (t.t === "object") t.items.forEach(([, v]) => patternVars(v, out));
  return out;
}

export function isGround(t: Term): boolean {
  return termVars(t, new Set()).size === 0 && !hasRefOrCall(t);
}

function hasRefOrCall(t: Term): boolean {
  switch (t.t) {
    case "ref":
    case "call":
    case "arraycomp":
    case "setcomp":
    case "objcomp":
    case "template":
      return true;
    case "array":
    case "set":
      return t.items.some(hasRefOrCall);
    case "object":
      return t.items.some(([k, v]) => hasRefOrCall(k) || hasRefOrCall(v));
    default:
      return false;
  }
}
