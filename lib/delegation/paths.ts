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

function childKey(o: Obj, key: string): string | undefined {
  if (Object.hasOwn(o, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower);
}

function lookup(value: unknown, segments: string[]): unknown {
  if (segments.length === 0) return value;
  const o = asObject(value);
  if (!o) return undefined;
  for (let take = segments.length; take >= 1; take--) {
    const key = childKey(o, segments.slice(0, take).join("."));
    if (key === undefined) continue;
    const found = lookup(o[key], segments.slice(take));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The value at a dot path, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  return lookup(root, path.split("."));
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
