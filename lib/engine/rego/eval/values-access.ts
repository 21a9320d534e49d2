// Reading values by key and inspecting terms, shared by the evaluator, documents and `with`.
import type { Term } from "../ast.ts";
import { RegoObject, RegoSet, type Value } from "../values/value.ts";
import type { Env } from "./evaluator.ts";

export function lookup(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key === "number" && Number.isInteger(key) && key >= 0 && key < v.length) return v[key];
    return undefined;
  }
  if (v instanceof RegoObject) return v.get(key);
  if (v instanceof RegoSet) return v.has(key) ? key : undefined;
  return undefined;
}

export function hasUnboundVars(t: Term, env: Env): boolean {
  switch (t.t) {
    case "var":
      return !env.has(t.name) && t.name !== "input" && t.name !== "data";
    case "array":
    case "set":
      return t.items.some((x) => hasUnboundVars(x, env));
    case "object":
      return t.items.some(([a, b]) => hasUnboundVars(a, env) || hasUnboundVars(b, env));
    default:
      return false;
  }
}

export function functionNameOf(t: Term): string | undefined {
  if (t.t === "var") return t.name;
  if (t.t === "ref" && t.head.t === "var" && t.path.every((p) => p.t === "scalar" && typeof p.v === "string")) {
    return [t.head.name, ...t.path.map((p) => (p as { v: string }).v)].join(".");
  }
  return undefined;
}

export function refPath(t: Term): string[] | undefined {
  if (t.t === "var") return [t.name];
  if (t.t === "ref" && t.head.t === "var" && t.path.every((p) => p.t === "scalar" && typeof p.v === "string")) {
    return [t.head.name, ...t.path.map((p) => (p as { v: string }).v)];
  }
  return undefined;
}

/** Returns a copy of `base` with `value` placed at `path` (objects created as needed). */
export function upsert(base: Value, path: string[], value: Value): Value {
  if (path.length === 0) return value;
  const o = base instanceof RegoObject ? RegoObject.from(base.entries()) : new RegoObject();
  const child = o.get(path[0]);
  o.set(path[0], upsert(child ?? new RegoObject(), path.slice(1), value));
  return o;
}
