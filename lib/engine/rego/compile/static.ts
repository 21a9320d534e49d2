// Input-independent rules (lookup tables, constants, rules over bundle data only) have the same
// value in every evaluation of a compiled policy set, so their values can be cached across
// evaluations. A rule is static when nothing it reaches reads `input`, uses `with`, or calls a
// non-deterministic built-in.
import type { Term } from "../ast.ts";
import { getBuiltin } from "../builtins/registry.ts";
import type { CompiledModules, RuleNode } from "./compiler.ts";
import { staticDataPath } from "./recursion.ts";

interface Facts {
  dynamic: boolean;
  deps: Set<RuleNode>;
}

function allRuleNodes(n: RuleNode, out: RuleNode[] = []): RuleNode[] {
  if (n.hasRules || n.functions.length || n.defaultFunction) out.push(n);
  n.children.forEach((c) => allRuleNodes(c, out));
  return out;
}

/** Rule nodes a data ref may read: the rule it reaches, or every rule below where it stops. */
function reached(root: RuleNode, path: string[]): RuleNode[] {
  let n: RuleNode | undefined = root;
  for (const seg of path) {
    if (n.hasRules || n.functions.length) return [n];
    n = n.children.get(seg);
    if (!n) return [];
  }
  if (n.hasRules || n.functions.length) return [n];
  return allRuleNodes(n);
}

function collect(x: unknown, compiled: CompiledModules, facts: Facts): void {
  if (!x || typeof x !== "object" || facts.dynamic) return;
  if (Array.isArray(x)) {
    for (const y of x) collect(y, compiled, facts);
    return;
  }
  const o = x as Record<string, unknown>;
  if (Array.isArray(o.with) && o.with.length) facts.dynamic = true;
  if (o.t === "var" && o.name === "input") facts.dynamic = true;
  if (o.t === "var" && o.name === "data") allRuleNodes(compiled.root).forEach((n) => facts.deps.add(n));
  if (o.t === "ref") {
    const path = staticDataPath(o as Term);
    if (path) reached(compiled.root, path).forEach((n) => facts.deps.add(n));
  }
  if (o.t === "call" || o.t === "fnref") {
    const op = o.op as string;
    const fn = compiled.functions.get(op);
    if (fn) facts.deps.add(fn);
    else if (getBuiltin(op)?.nondeterministic || !getBuiltin(op)) facts.dynamic = true;
  }
  // A data ref's head was handled above through its path; any other head (input, locals) is visited.
  for (const [k, v] of Object.entries(o)) {
    const dataHead = k === "head" && o.t === "ref" && (v as Term).t === "var" && (v as { name: string }).name === "data";
    if (!dataHead) collect(v, compiled, facts);
  }
}

export function findStaticNodes(compiled: CompiledModules): Set<RuleNode> {
  const nodes = allRuleNodes(compiled.root);
  const facts = new Map<RuleNode, Facts>();
  for (const n of nodes) {
    const f: Facts = { dynamic: false, deps: new Set() };
    collect([n.rules, n.functions, n.defaultRule, n.defaultFunction], compiled, f);
    facts.set(n, f);
  }
  // A node is static if it is not dynamic itself and all its dependencies are static (fixpoint).
  const dynamic = new Set(nodes.filter((n) => facts.get(n)!.dynamic));
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of nodes) {
      if (dynamic.has(n)) continue;
      for (const d of facts.get(n)!.deps) {
        if (dynamic.has(d)) {
          dynamic.add(n);
          changed = true;
          break;
        }
      }
    }
  }
  return new Set(nodes.filter((n) => !dynamic.has(n)));
}
