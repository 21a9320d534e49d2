// cel-go ext.Lists: slice, flatten, sort, distinct, reverse, first, last, lists.range.
import { Optional, type Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { registerNamespace } from "./namespace.ts";
import { celIndexOf } from "./values.ts";

function slice(l: unknown[], start: bigint, end: bigint): unknown[] {
  const s = Number(start);
  const e = Number(end);
  if (s < 0 || e < 0) throw new CelRuntimeError(`cannot slice(${s}, ${e}), negative indexes not supported`);
  if (s > e) throw new CelRuntimeError(`cannot slice(${s}, ${e}), start index must be less than or equal to end index`);
  if (e > l.length) throw new CelRuntimeError(`cannot slice(${s}, ${e}), list is length ${l.length}`);
  return l.slice(s, e);
}

function flatten(l: unknown[], depth = 1n): unknown[] {
  if (depth < 0n) throw new CelRuntimeError("level must be non-negative");
  const out: unknown[] = [];
  for (const x of l) {
    if (Array.isArray(x) && depth > 0n) out.push(...flatten(x, depth - 1n));
    else out.push(x);
  }
  return out;
}

function sortKey(v: unknown): number | bigint | string | boolean {
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "object" && v !== null && "seconds" in v) {
    const d = v as { seconds: bigint; nanos: number };
    return d.seconds * 1_000_000_000n + BigInt(d.nanos);
  }
  throw new CelRuntimeError("list elements must be comparable");
}

function sort(l: unknown[]): unknown[] {
  const keyed = l.map((v) => ({ v, k: sortKey(v) }));
  const kinds = new Set(keyed.map((x) => typeof x.k));
  if (kinds.size > 1 && !(kinds.size === 2 && kinds.has("number") && kinds.has("bigint"))) {
    throw new CelRuntimeError("list elements must have the same type");
  }
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.v);
}

function distinct(l: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of l) if (celIndexOf(out, x) < 0) out.push(x);
  return out;
}

interface MacroNode {
  op: string;
  args: unknown;
}
interface MacroCtx {
  forkWithVariable(name: string, type: unknown): MacroCtx & { iterValue?: unknown; iterType?: unknown };
}

/** `list.sortBy(e, keyExpr)`: a macro binding one variable, sorting by the key expression. */
function sortByMacro({ args, receiver }: { args: MacroNode[]; receiver: MacroNode }) {
  if (args[0]?.op !== "id") throw new CelRuntimeError("sortBy() variable name must be a simple identifier");
  const name = args[0].args as string;
  const keyExpr = args[1]!;
  return {
    typeCheck(checker: { check(n: MacroNode, c: MacroCtx): unknown; getType(n: string): unknown }, _m: unknown, ctx: MacroCtx) {
      checker.check(receiver, ctx);
      checker.check(keyExpr, ctx.forkWithVariable(name, checker.getType("dyn")));
      return checker.getType("list");
    },
    evaluate(ev: { run(n: MacroNode, c: MacroCtx): unknown }, _m: unknown, ctx: MacroCtx) {
      const list = ev.run(receiver, ctx) as unknown[];
      const c = ctx.forkWithVariable(name, undefined);
      c.iterType = { matchesValueType: () => true };
      const keyed = list.map((v) => {
        c.iterValue = v;
        return { v, k: sortKey(ev.run(keyExpr, c)) };
      });
      keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      return keyed.map((x) => x.v);
    },
  };
}

export function registerLists(env: Environment): void {
  env.registerFunction("list.sortBy(ast, ast): list", sortByMacro as never);
  const ns = registerNamespace(env, "lists");
  env
    .registerFunction("list.slice(int, int): list", slice)
    .registerFunction("list.flatten(): list", (l: unknown[]) => flatten(l))
    .registerFunction("list.flatten(int): list", flatten)
    .registerFunction("list.sort(): list", sort)
    .registerFunction("list.distinct(): list", distinct)
    .registerFunction("list.reverse(): list", (l: unknown[]) => [...l].reverse())
    .registerFunction("list.first(): optional<dyn>", (l: unknown[]) => (l.length ? Optional.of(l[0]) : Optional.none()))
    .registerFunction("list.last(): optional<dyn>", (l: unknown[]) => (l.length ? Optional.of(l[l.length - 1]) : Optional.none()))
    .registerFunction(`${ns}.range(int): list<int>`, (_: unknown, n: bigint) => {
      const out: bigint[] = [];
      for (let i = 0n; i < n; i++) out.push(i);
      return out;
    });
}
