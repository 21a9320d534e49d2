// Evaluation-order and error semantics where cel-go (and so Cerbos) differs from the library,
// applied by patching nodes of each parsed expression tree:
// - && and || are commutative over errors: when the left operand errors and the right one
//   decides (false for &&, true for ||) that value wins, otherwise the LEFT error is reported
//   (the library reports the right operand's error);
// - == and != use CEL's heterogeneous equality all the way down: cel-go finds
//   `[1.0, 2.0] == [1, 2]` (JSON numbers are doubles) true, the library false;
// - Cerbos's list-set functions (hasIntersection, intersect, except, isSubset) turn an erroring
//   argument into a bare "no such overload" (cerbos_lib.go uses ValOrErr); wrongly typed ones
//   still get the typed "no such overload: intersect(string, list)".

import { CelRuntimeError } from "./errors.ts";
import { celEquals } from "./values.ts";

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

const SET_FUNCTIONS = new Set(["hasIntersection", "has_intersection", "intersect", "except", "isSubset", "is_subset"]);

function patchSetFunction(node: Node): void {
  const args = node.args as unknown[];
  if (!Array.isArray(args) || !SET_FUNCTIONS.has(args[0] as string)) return;
  const operands = (node.op === "rcall" ? [args[1], ...((args[2] as unknown[]) ?? [])] : ((args[1] as unknown[]) ?? [])) as Node[];
  let original = Object.getPrototypeOf(node).evaluate as Node["evaluate"];
  function wrapper(this: Node, ev: Ev, ast: Node, ctx: unknown): unknown {
    for (const o of operands) if (ev.tryEval(o, ctx) instanceof Error) throw new CelRuntimeError("no such overload");
    return original.call(this, ev, ast, ctx);
  }
  Object.defineProperty(node, "evaluate", {
    configurable: true,
    get: () => wrapper,
    set: (fn: Node["evaluate"]) => {
      original = fn;
    },
  });
}

function isPlainValue(v: unknown): boolean {
  if (v === null || typeof v !== "object") return true;
  if (Array.isArray(v) || v instanceof Date || v instanceof Uint8Array || v instanceof Map) return true;
  const name = (v as object).constructor?.name;
  return name === "Object" || name === "UnsignedInt" || name === "Duration" || Object.getPrototypeOf(v) === null;
}

function patchEquality(node: Node): void {
  const [left, right] = node.args as [Node, Node];
  const negate = node.op === "!=";
  let original = Object.getPrototypeOf(node).evaluate as Node["evaluate"];
  function wrapper(this: Node, ev: Ev, ast: Node, ctx: unknown): unknown {
    const l = ev.tryEval(left, ctx);
    if (l instanceof Error) throw l;
    const r = ev.tryEval(right, ctx);
    if (r instanceof Error) throw r;
    // Library types with their own == (optionals, IPs, SPIFFE IDs) keep the library's operator.
    if (!isPlainValue(l) || !isPlainValue(r)) return original.call(this, ev, ast, ctx);
    return celEquals(l, r) !== negate;
  }
  Object.defineProperty(node, "evaluate", {
    configurable: true,
    get: () => wrapper,
    set: (fn: Node["evaluate"]) => {
      original = fn;
    },
  });
}

function patchNode(node: Node): void {
  if (node.op === "call" || node.op === "rcall") return patchSetFunction(node);
  if (node.op === "==" || node.op === "!=") return patchEquality(node);
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

/** Walks a parsed expression tree and patches the nodes listed above. */
export function patchExpressionTree(root: unknown): void {
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
