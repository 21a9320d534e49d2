// Recursion check: Rego forbids rules that depend on themselves (directly or through other rules
// or functions). Dependencies are the data refs and function calls in a rule's body and head.
import type { Expr, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import type { CompiledModules, CompiledRule, RuleNode } from "./compiler.ts";

/**
 * Rule nodes a static data path reaches. Refs that stop above the rules (`data.pkg[x]`) are left
 * to the evaluator's run-time guard rather than flagged here, so no valid policy is rejected.
 */
export function nodesUnder(root: RuleNode, path: string[]): RuleNode[] {
  let n: RuleNode | undefined = root;
  for (const seg of path) {
    if (n.hasRules || n.functions.length) return [n];
    n = n.children.get(seg);
    if (!n) return [];
  }
  return n.hasRules || n.functions.length ? [n] : [];
}

export function staticDataPath(t: Term): string[] | undefined {
  if (t.t === "var" && t.name === "data") return [];
  if (t.t !== "ref" || t.head.t !== "var" || t.head.name !== "data") return undefined;
  const path: string[] = [];
  for (const p of t.path) {
    if (p.t === "scalar" && typeof p.v === "string") path.push(p.v);
    else break;
  }
  return path;
}

function visitTerm(t: Term, onRef: (path: string[]) => void, onCall: (op: string) => void): void {
  const p = staticDataPath(t);
  if (p) onRef(p);
  const v = (x: Term) => visitTerm(x, onRef, onCall);
  switch (t.t) {
    case "ref":
      if (t.head.t !== "var") v(t.head);
      t.path.forEach(v);
      break;
    case "array":
    case "set":
      t.items.forEach(v);
      break;
    case "object":
      t.items.forEach(([a, b]) => (v(a), v(b)));
      break;
    case "call":
      onCall(t.op);
      t.args.forEach(v);
      break;
    case "template":
      t.parts.forEach((x) => typeof x !== "string" && v(x));
      break;
    case "arraycomp":
    case "setcomp":
      v(t.term);
      visitBody(t.body, onRef, onCall);
      break;
    case "objcomp":
      v(t.key);
      v(t.value);
      visitBody(t.body, onRef, onCall);
      break;
    case "fnref":
      onCall(t.op);
      break;
    default:
      break;
  }
}

function visitBody(body: Expr[], onRef: (path: string[]) => void, onCall: (op: string) => void): void {
  for (const e of body) {
    const v = (x: Term) => visitTerm(x, onRef, onCall);
    switch (e.kind) {
      case "term":
        v(e.term);
        break;
      case "unify":
      case "assign":
        v(e.left);
        v(e.right);
        break;
      case "somein":
        if (e.key) v(e.key);
        v(e.value);
        v(e.collection);
        break;
      case "every":
        v(e.domain);
        visitBody(e.body, onRef, onCall);
        break;
      default:
        break;
    }
    for (const w of e.with) v(w.value);
  }
}

function ruleDeps(rule: CompiledRule, compiled: CompiledModules): Set<RuleNode> {
  const deps = new Set<RuleNode>();
  const onRef = (path: string[]) => nodesUnder(compiled.root, path).forEach((n) => deps.add(n));
  const onCall = (op: string) => {
    const n = compiled.functions.get(op);
    if (n) deps.add(n);
  };
  for (let r: CompiledRule | undefined = rule; r; r = r.elseRule) {
    visitBody(r.body, onRef, onCall);
    [r.value, r.setMember, ...r.keyTerms, ...(r.args ?? [])].forEach((t) => t && visitTerm(t, onRef, onCall));
  }
  return deps;
}

/** Throws rego_recursion_error when a rule depends on itself. */
export function checkRecursion(compiled: CompiledModules): void {
  const nodes: RuleNode[] = [];
  const collect = (x: RuleNode) => {
    if (x.hasRules || x.functions.length) nodes.push(x);
    x.children.forEach(collect);
  };
  collect(compiled.root);
  const deps = new Map<RuleNode, Set<RuleNode>>();
  for (const n of nodes) {
    const d = new Set<RuleNode>();
    for (const r of [...n.rules, ...n.functions, ...(n.defaultRule ? [n.defaultRule] : [])]) ruleDeps(r, compiled).forEach((x) => d.add(x));
    deps.set(n, d);
  }
  const state = new Map<RuleNode, 1 | 2>();
  const visit = (n: RuleNode, stack: RuleNode[]): void => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) {
      const cycle = [...stack.slice(stack.indexOf(n)), n].map((x) => "data." + x.path.join(".")).join(" -> ");
      const rule = n.rules[0] ?? n.functions[0];
      throw new RegoError("rego_recursion_error", `${rule?.file ?? ""}:${rule?.line ?? 0}: rego_recursion_error: rule data.${n.path.join(".")} is recursive: ${cycle}`);
    }
    state.set(n, 1);
    stack.push(n);
    for (const d of deps.get(n) ?? []) visit(d, stack);
    stack.pop();
    state.set(n, 2);
  };
  for (const n of nodes) visit(n, []);
}
