// Rego values. Scalars are plain JS values so the common path allocates nothing; integers
// beyond ±2^53 are `bigint` because Rego numbers are arbitrary precision. Sets and objects are
// keyed by a canonical string so membership and equality work by value, as in OPA.

export type Value = null | boolean | number | bigint | string | Value[] | RegoObject | RegoSet;

/** Canonical key of a value: equal Rego values have equal keys. Strings are their own key. */
export function keyOf(v: Value): string {
  if (typeof v === "string") return v.charCodeAt(0) === 0 ? "\u0000s" + v : v;
  return "\u0000" + encodeKey(v);
}

function encodeKey(v: Value): string {
  if (v === null) return "z";
  switch (typeof v) {
    case "boolean":
      return v ? "t" : "f";
    case "number":
      return "n" + numberKey(v);
    case "bigint":
      return "n" + v.toString();
    case "string":
      return "s" + JSON.stringify(v);
  }
  if (Array.isArray(v)) return "[" + v.map(encodeKey).join(",") + "]";
  if (v instanceof RegoSet) return "<" + v.sorted().map(encodeKey).join(",") + ">";
  return "{" + v.sortedEntries().map(([k, x]) => encodeKey(k) + ":" + encodeKey(x)).join(",") + "}";
}

function numberKey(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 2 ** 53 && Number.isFinite(n)) return BigInt(n).toString();
  return String(n);
}

/** Insertion-ordered map from Rego values to Rego values. */
export class RegoObject {
  readonly map = new Map<string, [Value, Value]>();
  get size(): number {
    return this.map.size;
  }
  get(k: Value): Value | undefined {
    const e = this.map.get(keyOf(k));
    return e === undefined ? undefined : e[1];
  }
  set(k: Value, v: Value): this {
    this.map.set(keyOf(k), [k, v]);
    return this;
  }
  has(k: Value): boolean {
    return this.map.has(keyOf(k));
  }
  delete(k: Value): void {
    this.map.delete(keyOf(k));
  }
  keys(): Value[] {
    return [...this.map.values()].map((e) => e[0]);
  }
  entries(): IterableIterator<[Value, Value]> {
    return this.map.values();
  }
  sortedEntries(): [Value, Value][] {
    return [...this.map.values()].sort((a, b) => compareValues(a[0], b[0]));
  }
  static from(entries: Iterable<[Value, Value]>): RegoObject {
    const o = new RegoObject();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }
}

/** A set of Rego values with value semantics. */
export class RegoSet {
  readonly map = new Map<string, Value>();
  private sortedCache: Value[] | undefined;
  get size(): number {
    return this.map.size;
  }
  add(v: Value): this {
    this.map.set(keyOf(v), v);
    this.sortedCache = undefined;
    return this;
  }
  has(v: Value): boolean {
    return this.map.has(keyOf(v));
  }
  values(): IterableIterator<Value> {
    return this.map.values();
  }
  /** Elements in OPA's canonical order (how sets print and iterate in OPA). */
  sorted(): Value[] {
    if (!this.sortedCache) this.sortedCache = [...this.map.values()].sort(compareValues);
    return this.sortedCache;
  }
  static from(items: Iterable<Value>): RegoSet {
    const s = new RegoSet();
    for (const v of items) s.add(v);
    return s;
  }
}

export type TypeName = "null" | "boolean" | "number" | "string" | "array" | "object" | "set";

export function typeName(v: Value): TypeName {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
  }
  if (Array.isArray(v)) return "array";
  return v instanceof RegoSet ? "set" : "object";
}

const TYPE_ORDER: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

/** Total order over values, following OPA's ast.Compare. */
export function compareValues(a: Value, b: Value): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return TYPE_ORDER[ta] - TYPE_ORDER[tb];
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "number":
      return compareNumbers(a as number | bigint, b as number | bigint);
    case "string":
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case "array":
      return compareSequences(a as Value[], b as Value[]);
    case "set":
      return compareSequences((a as RegoSet).sorted(), (b as RegoSet).sorted());
    case "object": {
      const ea = (a as RegoObject).sortedEntries();
      const eb = (b as RegoObject).sortedEntries();
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(ea[i][0], eb[i][0]) || compareValues(ea[i][1], eb[i][1]);
        if (c !== 0) return c;
      }
      return ea.length - eb.length;
    }
  }
}

function compareSequences(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  // Mixed bigint/number: compare exactly when the number is an integer, else via floats.
  if (typeof a === "number" && !Number.isInteger(a)) return a < Number(b) ? -1 : 1;
  if (typeof b === "number" && !Number.isInteger(b)) return Number(a) < b ? -1 : 1;
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === "string" || ta === "boolean" || a === null || b === null) return false;
  if ((ta === "number" || ta === "bigint") && (typeof b === "number" || typeof b === "bigint")) return compareNumbers(a as number, b) === 0;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof RegoSet) {
    if (!(b instanceof RegoSet) || a.size !== b.size) return false;
    for (const k of a.map.keys()) if (!b.map.has(k)) return false;
    return true;
  }
  if (a instanceof RegoObject) {
    if (!(b instanceof RegoObject) || a.size !== b.size) return false;
    for (const [k, e] of a.map) {
      const o = b.map.get(k);
      if (o === undefined || !valuesEqual(e[1], o[1])) return false;
    }
    return true;
  }
  return false;
}

/** Normalises a number: integers that fit a double exactly stay JS numbers. */
export function normalizeNumber(n: number | bigint): number | bigint {
  if (typeof n === "bigint" && n >= -(2n ** 53n) && n <= 2n ** 53n) return Number(n);
  return n;
}

export function isNumber(v: Value): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}
