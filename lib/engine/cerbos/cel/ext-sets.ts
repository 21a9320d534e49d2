// cel-go ext.Sets: sets.contains, sets.equivalent, sets.intersects (CEL equality, so 1 == 1.0).
import type { Environment } from "@marcbachmann/cel-js";
import { registerNamespace } from "./namespace.ts";
import { celIndexOf } from "./values.ts";

const contains = (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => celIndexOf(a, x) >= 0);

export function registerSets(env: Environment): void {
  const ns = registerNamespace(env, "sets");
  env
    .registerFunction(`${ns}.contains(list, list): bool`, contains)
    .registerFunction(`${ns}.equivalent(list, list): bool`, (_: unknown, a: unknown[], b: unknown[]) => contains(_, a, b) && contains(_, b, a))
    .registerFunction(`${ns}.intersects(list, list): bool`, (_: unknown, a: unknown[], b: unknown[]) => a.some((x) => celIndexOf(b, x) >= 0));
}
