// cel-go's && and || are commutative over errors: when the left operand errors and the right
// one decides (false for &&, true for ||) that value wins, otherwise the LEFT error is reported.
// The library reports the right operand's error instead, which changes the messages Cerbos puts
// in `evaluationErrors`, so the parsed tree's logical nodes get cel-go's evaluation order.

import { CelRuntimeError } from "./errors.ts";

interface Node {
  op: string;
  args: unknown;
  evaluate(ev: Ev, ast: Node, ctx: unknown): unknown;
}
interface Ev {
  tryEval(ast: unknown, ctx: unknown): unknown;
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && "op" in v && "args" in v;
}

function patchNode(node: Node): void {
  if (node.op !== "&&" && node.op !== "||") return;
  // Evaluate both operands at most once (nested chains would otherwise grow exponentially).
  const [left, right] = node.args as [Node, Node];
  const decisive = node.op === "||";
  function wrapper(ev: Ev, _ast: Node, ctx: unknown): unknown {
    const l = ev.tryEval(left, ctx);
    if (l === decisive) return decisive;
    const r = ev.tryEval(right, ctx);
    if (r === decisive) return decisive;
    if (l === !decisive) {
      if (r === !decisive) return !decisive;
      if (r instanceof Error) throw r;
      throw new CelRuntimeError("no such overload");
    }
    if (l instanceof Error) throw l;
    throw new CelRuntimeError("no such overload");
  }
  // The library may install a specialised evaluate on the node at type-check time; ignore it.
  Object.defineProperty(node, "evaluate", { configurable: true, get: () => wrapper, set: () => {} });
}

/** Walks a parsed expression tree and patches every && / || node. */
export function patchLogicalOperators(root: unknown): void {
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    if (isNode(v)) {
      patchNode(v);
      stack.push(v.args);
      continue;
    }
    // Macro arguments and comprehension parts hang off plain objects.
    for (const x of Object.values(v as Record<string, unknown>)) if (x && typeof x === "object") stack.push(x);
  }
}
