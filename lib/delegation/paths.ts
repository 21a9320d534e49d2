// Dot-path lookup over parsed decision entries. Keys in logs often contain dots themselves
// (Cerbos annotation `mcp.method`, baggage `task.id`) and header maps vary in case, so a lookup
// tries the longest literal key first and falls back to a case-insensitive match.

export type Obj = Record<string, unknown>;

export function asObject(v: unknown): Obj | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function nonEmptyString(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v : null;
}

interface KeyIndex {
  /** Lower-cased key → key as written (first one wins); null when every key is lower-case without dots. */
  lower: Map<string, string> | null;
  hasDottedKeys: boolean;
}

// Entries are looked up with dozens of paths each, mostly misses; index each object's keys once,
// and skip building a map for the common all-lower-case object (a lower-case miss is then final).
const keyIndexes = new WeakMap<Obj, KeyIndex>();
const NEEDS_FOLDING = /[A-Z.]/;

function keyIndexOf(o: Obj): KeyIndex {
  let index = keyIndexes.get(o);
  if (!index) {
    const keys = Object.keys(o);
    if (!keys.some((k) => NEEDS_FOLDING.test(k))) index = { lower: null, hasDottedKeys: false };
    else {
      const lower = new Map<string, string>();
      for (const k of keys) {
        const l = k.toLowerCase();
        if (!lower.has(l)) lower.set(l, k);
      }
      index = { lower, hasDottedKeys: keys.some((k) => k.includes(".")) };
    }
    keyIndexes.set(o, index);
  }
  return index;
}

interface CompiledPath {
  segments: string[];
  lower: string[];
}

const compiledPaths = new Map<string, CompiledPath>();

function compile(path: string): CompiledPath {
  let compiled = compiledPaths.get(path);
  if (!compiled) {
    const segments = path.split(".");
    compiled = { segments, lower: segments.map((s) => s.toLowerCase()) };
    // Paths come from rules (a bounded set); the cap only guards against misuse.
    if (compiledPaths.size < 10_000) compiledPaths.set(path, compiled);
  }
  return compiled;
}

function lookup(value: unknown, path: CompiledPath, from: number): unknown {
  if (from === path.segments.length) return value;
  const o = asObject(value);
  if (!o) return undefined;
  const exact = path.segments[from];
  if (Object.hasOwn(o, exact)) {
    const found = lookup(o[exact], path, from + 1);
    if (found !== undefined) return found;
  }
  const lowerSegment = path.lower[from];
  if (lowerSegment === exact && keyIndexOf(o).lower === null) return undefined;
  const index = keyIndexOf(o);
  if (index.lower === null) return o[lowerSegment] === undefined || !Object.hasOwn(o, lowerSegment) ? undefined : lookup(o[lowerSegment], path, from + 1);
  // Longest dotted key first, so `annotations.mcp.method` finds the key "mcp.method".
  const longest = index.hasDottedKeys ? path.segments.length : from + 1;
  for (let end = longest; end > from; end--) {
    const key = index.lower.get(end === from + 1 ? path.lower[from] : path.lower.slice(from, end).join("."));
    if (key === undefined || (end === from + 1 && key === exact)) continue;
    const found = lookup(o[key], path, end);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The value at a dot path, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  return lookup(root, compile(path), 0);
}

/**
 * A single string from what logs use for one value: a string, a number, a header value list
 * (`["v"]`), or Cerbos metadata `{values: ["v"]}`.
 */
export function scalarString(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  const s = nonEmptyString(v);
  if (s !== null) return s.trim();
  if (Array.isArray(v)) {
    for (const item of v) {
      const inner = scalarString(item);
      if (inner !== null) return inner;
    }
    return null;
  }
  const values = asObject(v)?.values;
  return Array.isArray(values) ? scalarString(values) : null;
}

export interface Found<T> {
  value: T;
  path: string;
}

/** First path whose value converts to a non-empty string. */
export function firstString(root: unknown, paths: readonly string[]): Found<string> | null {
  for (const path of paths) {
    const value = scalarString(valueAt(root, path));
    if (value !== null) return { value, path };
  }
  return null;
}

/** First path with a value at all (arrays, objects), skipping empty strings and empty arrays. */
export function firstValue(root: unknown, paths: readonly string[]): Found<unknown> | null {
  for (const path of paths) {
    const value = valueAt(root, path);
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    return { value, path };
  }
  return null;
}

/** Strings of a space-separated list or an array (OAuth `scope` vs `scp`). */
export function stringList(v: unknown): string[] {
  if (typeof v === "string") return v.split(/\s+/).filter(Boolean);
  if (Array.isArray(v)) return v.flatMap((item) => (typeof item === "string" ? item.split(/\s+/).filter(Boolean) : []));
  return [];
}
