// Cerbos `hierarchy()` type: dotted paths with ancestor/descendant/sibling tests.
import type { Environment } from "@marcbachmann/cel-js";

export class Hierarchy {
  constructor(readonly parts: string[]) {}
  toString(): string {
    return this.parts.join(".");
  }
}

function prefixOf(short: string[], long: string[]): boolean {
  return short.every((s, i) => long[i] === s);
}

function ancestorOf(h: Hierarchy, child: Hierarchy): boolean {
  return child.parts.length > h.parts.length && prefixOf(h.parts, child.parts);
}

function immediateParentOf(h: Hierarchy, child: Hierarchy): boolean {
  return child.parts.length === h.parts.length + 1 && prefixOf(h.parts, child.parts);
}

function commonAncestors(a: Hierarchy, b: Hierarchy): Hierarchy {
  let short = a.parts;
  let long = b.parts;
  if (b.parts.length < a.parts.length) [short, long] = [b.parts, a.parts];
  if (long.length === short.length) {
    long = long.slice(0, -1);
    short = short.slice(0, -1);
  }
  const out: string[] = [];
  for (let i = 0; i < short.length; i++) {
    if (long[i] !== short[i]) break;
    out.push(short[i]!);
  }
  return new Hierarchy(out);
}

function siblingOf(a: Hierarchy, b: Hierarchy): boolean {
  if (a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.parts.length - 1; i++) if (a.parts[i] !== b.parts[i]) return false;
  return true;
}

function overlaps(a: Hierarchy, b: Hierarchy): boolean {
  const [short, long] = a.parts.length <= b.parts.length ? [a.parts, b.parts] : [b.parts, a.parts];
  return prefixOf(short, long);
}

export function registerHierarchy(env: Environment): void {
  env
    .registerType("cerbos.lib.hierarchy", Hierarchy)
    .registerFunction("hierarchy(string): cerbos.lib.hierarchy", (s: string) => new Hierarchy(s.split(".")))
    .registerFunction("hierarchy(string, string): cerbos.lib.hierarchy", (s: string, d: string) => new Hierarchy(s.split(d)))
    .registerFunction("hierarchy(list): cerbos.lib.hierarchy", (l: unknown[]) => new Hierarchy(l.map(String)))
    .registerFunction("cerbos.lib.hierarchy.ancestorOf(cerbos.lib.hierarchy): bool", ancestorOf)
    .registerFunction("cerbos.lib.hierarchy.descendentOf(cerbos.lib.hierarchy): bool", (a: Hierarchy, b: Hierarchy) => ancestorOf(b, a))
    .registerFunction("cerbos.lib.hierarchy.immediateParentOf(cerbos.lib.hierarchy): bool", immediateParentOf)
    .registerFunction("cerbos.lib.hierarchy.immediateChildOf(cerbos.lib.hierarchy): bool", (a: Hierarchy, b: Hierarchy) => immediateParentOf(b, a))
    .registerFunction("cerbos.lib.hierarchy.commonAncestors(cerbos.lib.hierarchy): cerbos.lib.hierarchy", commonAncestors)
    .registerFunction("cerbos.lib.hierarchy.siblingOf(cerbos.lib.hierarchy): bool", siblingOf)
    .registerFunction("cerbos.lib.hierarchy.overlaps(cerbos.lib.hierarchy): bool", overlaps)
    .registerFunction("cerbos.lib.hierarchy.size(): int", (h: Hierarchy) => BigInt(h.parts.length))
    .registerFunction("size(cerbos.lib.hierarchy): int", (h: Hierarchy) => BigInt(h.parts.length))
    .registerFunction("string(cerbos.lib.hierarchy): string", (h: Hierarchy) => h.toString())
    .registerOperator("cerbos.lib.hierarchy == cerbos.lib.hierarchy", (a: Hierarchy, b: Hierarchy) =>
      a.parts.length === b.parts.length && prefixOf(a.parts, b.parts),
    );
}
