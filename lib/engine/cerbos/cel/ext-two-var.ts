// cel-go ext.TwoVarComprehensions: all/exists/existsOne with (index|key, value) variables and
// transformList / transformMap / transformMapEntry. Implemented as library macros that bind two
// iteration variables.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";

interface AstNode {
  op: string;
  args: unknown;
}
interface Checker {
  check(node: AstNode, ctx: Ctx): unknown;
  getType(name: string): unknown;
}
interface Ctx {
  forkWithVariable(name: string, type: unknown): Ctx & { iterValue?: unknown };
}
interface Evaluator {
  run(node: AstNode, ctx: Ctx): unknown;
}
interface MacroInput {
  args: AstNode[];
  receiver: AstNode;
}

type Kind = "all" | "exists" | "existsOne" | "transformList" | "transformMap" | "transformMapEntry";

function identName(node: AstNode): string {
  if (node.op !== "id") throw new CelRuntimeError("iteration variable must be an identifier");
  return node.args as string;
}

const GO_TYPES: Record<string, string> = { string: "types.String", number: "types.Double", bigint: "types.Int", boolean: "types.Bool" };

function entries(v: unknown): [unknown, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [BigInt(i), x]);
  if (v instanceof Map) return [...v.entries()];
  if (typeof v === "object" && v !== null && (v.constructor === Object || Object.getPrototypeOf(v) === null)) return Object.entries(v);
  const goType = v === null ? "types.Null" : (GO_TYPES[typeof v] ?? String((v as object)?.constructor?.name ?? typeof v));
  throw new CelRuntimeError(`unsupported comprehension range type: ${goType}`);
}

function macro(kind: Kind, withFilter: boolean) {
  return ({ args, receiver }: MacroInput) => {
    const first = identName(args[0]!);
    const second = identName(args[1]!);
    const body = args.slice(2);
    const fork = (ctx: Ctx, dyn: unknown) => {
      const c1 = ctx.forkWithVariable(first, dyn);
      const c2 = c1.forkWithVariable(second, dyn);
      return { c1, c2 };
    };
    return {
      typeCheck(checker: Checker, _m: unknown, ctx: Ctx) {
        checker.check(receiver, ctx);
        const dyn = checker.getType("dyn");
        const { c2 } = fork(ctx, dyn);
        for (const b of body) checker.check(b, c2);
        if (kind === "all" || kind === "exists" || kind === "existsOne") return checker.getType("bool");
        return checker.getType(kind === "transformList" ? "list" : "map");
      },
      evaluate(ev: Evaluator, _m: unknown, ctx: Ctx) {
        const items = entries(ev.run(receiver, ctx));
        const dyn = undefined;
        const { c1, c2 } = fork(ctx, dyn);
        (c1 as { iterType?: unknown }).iterType = { matchesValueType: () => true };
        (c2 as { iterType?: unknown }).iterType = { matchesValueType: () => true };
        let count = 0;
        let firstError: unknown;
        const list: unknown[] = [];
        const map = new Map<unknown, unknown>();
        for (const [k, v] of items) {
          c1.iterValue = k;
          c2.iterValue = v;
          if (kind === "all" || kind === "exists" || kind === "existsOne") {
            let r: unknown;
            try {
              r = ev.run(body[0]!, c2);
            } catch (err) {
              firstError ??= err;
              continue;
            }
            if (kind === "all" && r === false) return false;
            if (kind === "exists" && r === true) return true;
            if (kind === "existsOne" && r === true) count++;
            continue;
          }
          if (withFilter && ev.run(body[0]!, c2) !== true) continue;
          const transform = body[withFilter ? 1 : 0]!;
          const value = ev.run(transform, c2);
          if (kind === "transformList") list.push(value);
          else if (kind === "transformMap") map.set(k, value);
          else {
            for (const [ek, evv] of entries(value)) {
              if (map.has(ek)) throw new CelRuntimeError(`insert failed: key ${String(ek)} already exists`);
              map.set(ek, evv);
            }
          }
        }
        if (firstError) throw firstError;
        if (kind === "all") return true;
        if (kind === "exists") return false;
        if (kind === "existsOne") return count === 1;
        if (kind === "transformList") return list;
        return Object.fromEntries([...map.entries()].map(([k, v]) => [String(k), v]));
      },
    };
  };
}

export function registerTwoVarComprehensions(env: Environment): void {
  const reg = (sig: string, kind: Kind, withFilter = false) => {
    for (const recv of ["list", "map"]) {
      env.registerFunction(`${recv}.${sig}: dyn`, macro(kind, withFilter) as never);
    }
  };
  reg("all(ast, ast, ast)", "all");
  reg("exists(ast, ast, ast)", "exists");
  reg("existsOne(ast, ast, ast)", "existsOne");
  reg("exists_one(ast, ast, ast)", "existsOne");
  reg("transformList(ast, ast, ast)", "transformList");
  reg("transformList(ast, ast, ast, ast)", "transformList", true);
  reg("transformMap(ast, ast, ast)", "transformMap");
  reg("transformMap(ast, ast, ast, ast)", "transformMap", true);
  reg("transformMapEntry(ast, ast, ast)", "transformMapEntry");
  reg("transformMapEntry(ast, ast, ast, ast)", "transformMapEntry", true);
}
