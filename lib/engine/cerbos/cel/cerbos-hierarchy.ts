// Cerbos `hierarchy()` type: dotted paths with ancestor/descendant/sibling tests.
import type { Environment } from "@marcbachmann/cel-js";

// In cel-go a hierarchy is an indexable, sizeable list of path segments. Here it is a plain
// string array (the library only indexes exact Arrays), with the hierarchy methods on lists.

function asHierarchy(v: unknown): { parts: string[] } {
  return { parts: (v as unknown[]).map(String) };
}

function prefixOf(short: string[], long: string[]): boolean {
  return short.every((s, i) => long[i] === s);
}

function ancestorOf(h: { parts: string[] }, child: { parts: string[] }): boolean {
  return child.parts.length > h.parts.length && prefixOf(h.parts, child.parts);
}

function immediateParentOf(h: { parts: string[] }, child: { parts: string[] }): boolean {
  return child.parts.length === h.parts.length + 1 && prefixOf(h.parts, child.parts);
}

function commonAncestors(a: { parts: string[] }, b: { parts: string[] }): string[] {
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
  return out;
}

function siblingOf(a: { parts: string[] }, b: { parts: string[] }): boolean {
  if (a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.parts.length - 1; i++) if (a.parts[i] !== b.parts[i]) return false;
  return true;
}

function overlaps(a: { parts: string[] }, b: { parts: string[] }): boolean {
  const [short, long] = a.parts.length <= b.parts.length ? [a.parts, b.parts] : [b.parts, a.parts];
  return prefixOf(short, long);
}

export function registerHierarchy(env: Environment): void {
  const two = (f: (a: { parts: string[] }, b: { parts: string[] }) => unknown) => (a: unknown, b: unknown) => f(asHierarchy(a), asHierarchy(b));
  env
    .registerFunction("hierarchy(string): list<string>", (s: string) => s.split("."))
    .registerFunction("hierarchy(string, string): list<string>", (s: string, d: string) => s.split(d))
    .registerFunction("hierarchy(list): list<string>", (l: unknown[]) => l.map(String))
    .registerFunction("list.ancestorOf(list): bool", two(ancestorOf))
    .registerFunction("list.descendentOf(list): bool", two((a, b) => ancestorOf(b, a)))
    .registerFunction("list.immediateParentOf(list): bool", two(immediateParentOf))
    .registerFunction("list.immediateChildOf(list): bool", two((a, b) => immediateParentOf(b, a)))
    .registerFunction("list.commonAncestors(list): list<string>", two(commonAncestors))
    .registerFunction("list.siblingOf(list): bool", two(siblingOf))
    .registerFunction("list.overlaps(list): bool", two(overlaps));
}
