// `with` modifiers: replace input, parts of data, functions or built-ins for one expression.
// Values are evaluated in the outer context; the replaced state applies to the expression only,
// and the continuation runs with the outer state restored.
import type { Expr, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { RegoObject, type Value } from "../values/value.ts";
import type { Cont, Env, EvalState, Evaluator } from "./evaluator.ts";
import { refPath, upsert } from "./values-access.ts";

/** One evaluated modifier: a replacement value, or the name of a replacement function. */
interface Modifier {
  target: Term;
  value?: Value;
  fn?: string;
}

export function evalWith(ev: Evaluator, e: Expr, env: Env, k: Cont): boolean {
  // Evaluate every `as` value first (in the outer context), then swap state in for the expression only.
  const mods: Modifier[] = [];
  const collect = (i: number): boolean => {
    if (i === e.with.length) return runWith(ev, e, mods, env, k);
    const w = e.with[i];
    if (w.value.t === "fnref") {
      mods.push({ target: w.target, fn: w.value.op });
      const r = collect(i + 1);
      mods.pop();
      return r;
    }
    return ev.evalTerm(w.value, env, (v) => {
      mods.push({ target: w.target, value: v });
      const r = collect(i + 1);
      mods.pop();
      return r;
    });
  };
  return collect(0);
}

function runWith(ev: Evaluator, e: Expr, mods: Modifier[], env: Env, k: Cont): boolean {
  const outer = ev.state;
  const inner: EvalState = { ...outer, dataOverrides: [...outer.dataOverrides], fnOverrides: new Map(outer.fnOverrides), cache: new Map() };
  for (const m of mods) {
    const t = m.target;
    if (t.t === "call") {
      inner.fnOverrides.set(t.op, m.fn ? { op: m.fn } : { value: m.value });
      continue;
    }
    const path = refPath(t);
    if (!path) throw new RegoError("rego_compile_error", `with target must be a ref to input or data`);
    const value = m.value;
    if (value === undefined) throw new RegoError("rego_type_error", `with: a function cannot replace ${path.join(".")}`);
    if (path[0] === "input") inner.input = path.length === 1 ? value : upsert(inner.input ?? new RegoObject(), path.slice(1), value);
    else inner.dataOverrides.push({ path: path.slice(1), value });
  }
  const plain: Expr = { ...e, with: [] };
  ev.state = inner;
  try {
    return ev.evalExpr(plain, env, () => {
      ev.state = outer;
      try {
        return k();
      } finally {
        ev.state = inner;
      }
    });
  } finally {
    ev.state = outer;
  }
}

