// json.filter, json.remove and json.patch over documents addressed by "a/b/0" paths or segment arrays.
import { BuiltinError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, keyOf, typeName, valuesEqual } from "../values/value.ts";
import { register } from "./registry.ts";

type PathTree = Map<string, { seg: Value; children: PathTree; leaf: boolean }>;

function parsePaths(fn: string, v: Value): Value[][] {
  const items = Array.isArray(v) ? v : v instanceof RegoSet ? v.sorted() : undefined;
  if (!items) throw new BuiltinError(`${fn}: operand 2 must be one of {set, array} but got ${typeName(v)}`, "eval_type_error");
  return items.map((p) => {
    if (typeof p === "string") return p.replace(/^\//, "").split("/").filter((s, i, all) => s !== "" || all.length > 1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (Array.isArray(p)) return p;
    throw new BuiltinError(`${fn}: operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`, "eval_type_error");
  });
}

function buildTree(paths: Value[][]): PathTree {
  const root: PathTree = new Map();
  for (const p of paths) {
    let t = root;
    for (let i = 0; i < p.length; i++) {
      const k = keyOf(typeof p[i] === "number" ? String(p[i]) : p[i]);
      let n = t.get(k);
      if (!n) {
        n = { seg: p[i], children: new Map(), leaf: false };
        t.set(k, n);
      }
      if (i === p.length - 1) n.leaf = true;
      t = n.children;
    }
  }
  return root;
}

function segKey(k: Value): string {
  return keyOf(typeof k === "number" ? String(k) : k);
}

function filterValue(v: Value, tree: PathTree): Value {
  if (v instanceof RegoObject) {
    const out = new RegoObject();
    for (const [k, x] of v.entries()) {
      const n = tree.get(segKey(k));
      if (n) out.set(k, n.leaf ? x : filterValue(x, n.children));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const n = tree.get(segKey(i));
      if (n) out.push(n.leaf ? x : filterValue(x, n.children));
    });
    return out;
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet();
    for (const x of v.values()) {
      const n = tree.get(segKey(x));
      if (n) out.add(n.leaf ? x : filterValue(x, n.children));
    }
    return out;
  }
  return v;
}

function removeValue(v: Value, tree: PathTree): Value {
  if (v instanceof RegoObject) {
    const out = new RegoObject();
    for (const [k, x] of v.entries()) {
      const n = tree.get(segKey(k));
      if (!n) out.set(k, x);
      else if (!n.leaf) out.set(k, removeValue(x, n.children));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const n = tree.get(segKey(i));
      if (!n) out.push(x);
      else if (!n.leaf) out.push(removeValue(x, n.children));
    });
    return out;
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet();
    for (const x of v.values()) {
      const n = tree.get(segKey(x));
      if (!n) out.add(x);
      else if (!n.leaf) out.add(removeValue(x, n.children));
    }
    return out;
  }
  return v;
}

register("json.filter", 2, ([o, paths]) => {
  if (!(o instanceof RegoObject)) throw new BuiltinError(`json.filter: operand 1 must be object but got ${typeName(o)}`, "eval_type_error");
  return filterValue(o, buildTree(parsePaths("json.filter", paths)));
});
register("json.remove", 2, ([o, paths]) => {
  if (!(o instanceof RegoObject)) throw new BuiltinError(`json.remove: operand 1 must be object but got ${typeName(o)}`, "eval_type_error");
  return removeValue(o, buildTree(parsePaths("json.remove", paths)));
});

// RFC 6902 JSON Patch; an operation that cannot apply makes the result undefined.
class PatchFailed extends Error {}

function getAt(doc: Value, path: Value[]): Value {
  let cur = doc;
  for (const seg of path) {
    const next = child(cur, seg);
    if (next === undefined) throw new PatchFailed();
    cur = next;
  }
  return cur;
}

/** A JSON Pointer array index: digits without leading zeros (so "1e0" and "01" are not indexes). */
function arrayIndex(seg: Value): number {
  if (typeof seg === "number") return Number.isInteger(seg) ? seg : NaN;
  return typeof seg === "string" && /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : NaN;
}

function child(v: Value, seg: Value): Value | undefined {
  if (v instanceof RegoObject) return v.get(seg);
  if (Array.isArray(v)) return v[arrayIndex(seg)];
  if (v instanceof RegoSet) {
    for (const x of v.values()) if (valuesEqual(x, seg) || (typeof seg === "string" && typeof x !== "string" && keyOf(x) === seg)) return x;
  }
  return undefined;
}

function update(doc: Value, path: Value[], f: (parent: Value, last: Value) => Value): Value {
  if (path.length === 0) throw new PatchFailed();
  const [seg, ...rest] = path;
  if (rest.length === 0) return f(doc, seg);
  const c = child(doc, seg);
  if (c === undefined) throw new PatchFailed();
  return replaceChild(doc, seg, update(c, rest, f));
}

function replaceChild(parent: Value, seg: Value, value: Value): Value {
  if (parent instanceof RegoObject) return RegoObject.from(parent.entries()).set(seg, value);
  if (Array.isArray(parent)) {
    const out = [...parent];
    out[arrayIndex(seg)] = value;
    return out;
  }
  if (parent instanceof RegoSet) {
    const old = child(parent, seg);
    return RegoSet.from([...[...parent.values()].filter((x) => old === undefined || !valuesEqual(x, old)), value]);
  }
  throw new PatchFailed();
}

function addAt(parent: Value, seg: Value, value: Value): Value {
  if (parent instanceof RegoObject) return RegoObject.from(parent.entries()).set(seg, value);
  if (Array.isArray(parent)) {
    const i = seg === "-" ? parent.length : arrayIndex(seg);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchFailed();
    return [...parent.slice(0, i), value, ...parent.slice(i)];
  }
  if (parent instanceof RegoSet) {
    if (seg !== "-" && !valuesEqual(seg, value)) throw new PatchFailed();
    return RegoSet.from([...parent.values(), value]);
  }
  throw new PatchFailed();
}

function removeAt(parent: Value, seg: Value): Value {
  if (parent instanceof RegoObject) {
    if (!parent.has(seg)) throw new PatchFailed();
    const out = RegoObject.from(parent.entries());
    out.delete(seg);
    return out;
  }
  if (Array.isArray(parent)) {
    const i = arrayIndex(seg);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new PatchFailed();
    return [...parent.slice(0, i), ...parent.slice(i + 1)];
  }
  if (parent instanceof RegoSet) {
    const x = child(parent, seg);
    if (x === undefined) throw new PatchFailed();
    return RegoSet.from([...parent.values()].filter((y) => !valuesEqual(x, y)));
  }
  throw new PatchFailed();
}

function pointer(v: Value | undefined): Value[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== "string") throw new PatchFailed();
  if (v === "") return [];
  return v.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

register("json.patch", 2, ([doc, patches]) => {
  if (!Array.isArray(patches)) throw new BuiltinError(`json.patch: operand 2 must be array but got ${typeName(patches)}`, "eval_type_error");
  let cur = doc;
  try {
    for (const p of patches) {
      if (!(p instanceof RegoObject)) throw new PatchFailed();
      const op = p.get("op");
      const path = pointer(p.get("path"));
      const value = p.get("value");
      switch (op) {
        case "add":
          if (value === undefined) throw new PatchFailed();
          cur = path.length === 0 ? value : update(cur, path, (parent, last) => addAt(parent, last, value));
          break;
        case "remove":
          cur = update(cur, path, removeAt);
          break;
        case "replace":
          if (value === undefined) throw new PatchFailed();
          getAt(cur, path);
          cur = path.length === 0 ? value : update(cur, path, (parent, last) => addAt(removeAt(parent, last), last, value));
          break;
        case "move":
        case "copy": {
          const from = pointer(p.get("from"));
          const v = getAt(cur, from);
          if (op === "move") cur = update(cur, from, removeAt);
          cur = path.length === 0 ? v : update(cur, path, (parent, last) => addAt(parent, last, v));
          break;
        }
        case "test":
          if (value === undefined || !valuesEqual(getAt(cur, path), value)) throw new PatchFailed();
          break;
        default:
          throw new PatchFailed();
      }
    }
  } catch (err) {
    if (err instanceof PatchFailed) return undefined;
    throw err;
  }
  return cur;
});
