// maskJson: a masked copy of a JSON value and the list of what was masked. Path rules are matched
// while walking (each rule is a small automaton over the keys from the root, so `**` costs no
// backtracking); the first (outermost) node a rule matches is replaced whole; string leaves outside
// any matched node go through the enabled detectors. The input is never modified.
import { detect, type Detector } from "./detectors.ts";
import type { PathRule, RuleSet } from "./rules.ts";

/** What a masked value shows instead. The bullet prefix cannot come out of any PDP as a field value by accident. */
export const MASK_PREFIX = "•••• masked (";

export function maskMarker(label: string): string {
  return `${MASK_PREFIX}${label})`;
}

export function isMaskMarker(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(MASK_PREFIX) && value.endsWith(")");
}

export type PathKey = string | number;

export interface MaskedField {
  /** RFC 6901 JSON pointer of the masked node ("/checkResources/inputs/0/principal/attr/email"). */
  pointer: string;
  /** The same as a dot path, for people ("checkResources.inputs.0.principal.attr.email"). */
  path: string;
  /** What the marker says: a detector name, or the rule's last key ("authorization"). */
  label: string;
  /** The rule that matched, as written ("**.email", "detect:ip"). */
  rule: string;
}

export interface MaskResult<T = unknown> {
  value: T;
  masked: MaskedField[];
}

export interface MaskOptions {
  /**
   * Where `$`-anchored rules start, as key paths from the root (default: the root). A raw Cerbos
   * Admin API line wraps its entry in result.decisionLogEntry; anchoring there keeps `$.x` meaning
   * "x of the entry" in both the raw and the parsed form.
   */
  anchors?: PathKey[][];
  /** Prefix prepended to every reported path (the value sits inside a larger document). */
  basePath?: PathKey[];
}

const escapePointer = (k: PathKey) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");

export function toPointer(path: readonly PathKey[]): string {
  return path.map((k) => `/${escapePointer(k)}`).join("");
}

const PLAIN_KEY = /^[A-Za-z0-9_\-:@/+~]+$/;

/** Dot form; keys that are not plain words are quoted so the text reads back as an exact path rule. */
export function toDotPath(path: readonly PathKey[]): string {
  return path.map((k) => (typeof k === "number" || (PLAIN_KEY.test(k) && k !== "$") ? String(k) : JSON.stringify(k))).join(".");
}

/** Parses an RFC 6901 pointer ("" is the root). Throws naming the problem. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`a JSON pointer starts with "/" (got ${JSON.stringify(pointer.slice(0, 40))})`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => {
      if (/~[^01]|~$/.test(s)) throw new Error(`bad escape in JSON pointer segment ${JSON.stringify(s)} (~0 is ~, ~1 is /)`);
      return s.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

/** The value at a pointer, or undefined (array segments must be indices). */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(seg)) return undefined;
      node = node[Number(seg)];
    } else if (node !== null && typeof node === "object" && Object.prototype.hasOwnProperty.call(node, seg)) {
      node = (node as Record<string, unknown>)[seg];
    } else return undefined;
  }
  return node;
}

// Automaton state: (rule index, position in its segments). Unanchored rules get an implicit leading
// `**`, stored once per rule set.
interface CompiledPath {
  rule: PathRule;
  segments: PathRule["segments"];
}

const compiledCache = new WeakMap<RuleSet, CompiledPath[]>();

function compiled(rules: RuleSet): CompiledPath[] {
  let c = compiledCache.get(rules);
  if (!c) {
    c = rules.paths.map((rule) => ({
      rule,
      segments: rule.anchored || rule.segments[0]?.type === "deep" ? rule.segments : [{ type: "deep" as const }, ...rule.segments],
    }));
    compiledCache.set(rules, c);
  }
  return c;
}

type State = number; // rule index * 64 + position (rules have at most 33 segments)
const enc = (rule: number, pos: number): State => rule * 64 + pos;

/** Adds `pos` and, through `**` (which may match nothing), the positions after it. */
function closeInto(paths: CompiledPath[], rule: number, pos: number, out: Set<State>) {
  const segs = paths[rule].segments;
  let p = pos;
  for (;;) {
    out.add(enc(rule, p));
    if (p < segs.length && segs[p].type === "deep") p++;
    else return;
  }
}

function step(paths: CompiledPath[], states: Set<State>, key: PathKey): Set<State> {
  const next = new Set<State>();
  const lower = typeof key === "string" ? key.toLowerCase() : String(key);
  for (const s of states) {
    const rule = Math.floor(s / 64);
    const pos = s % 64;
    const segs = paths[rule].segments;
    if (pos >= segs.length) continue;
    const seg = segs[pos];
    if (seg.type === "deep") closeInto(paths, rule, pos, next);
    else if (seg.type === "any" || seg.name === lower) closeInto(paths, rule, pos + 1, next);
  }
  return next;
}

/** The first rule (in list order) whose automaton has reached its end at this node, or null. */
function matchedRule(paths: CompiledPath[], states: Set<State>): PathRule | null {
  let best = -1;
  for (const s of states) {
    const rule = Math.floor(s / 64);
    if (s % 64 === paths[rule].segments.length && (best < 0 || rule < best)) best = rule;
  }
  return best < 0 ? null : paths[best].rule;
}

const MAX_DEPTH = 200;

export function maskJson<T = unknown>(value: T, rules: RuleSet, opts: MaskOptions = {}): MaskResult<T> {
  const paths = compiled(rules);
  const masked: MaskedField[] = [];
  const anchors = opts.anchors ?? [[]];
  const base = opts.basePath ?? [];
  const maxAnchorDepth = Math.max(...anchors.map((a) => a.length));
  const isAnchor = (path: PathKey[]) =>
    path.length <= maxAnchorDepth && anchors.some((a) => a.length === path.length && a.every((k, i) => String(k) === String(path[i])));

  const rootStates = (): Set<State> => {
    const states = new Set<State>();
    paths.forEach((p, i) => {
      if (!p.rule.anchored || isAnchor([])) closeInto(paths, i, 0, states);
    });
    return states;
  };
  // Anchored rules also start at the anchors below the root.
  const enter = (childPath: PathKey[], next: Set<State>): Set<State> => {
    if (childPath.length > maxAnchorDepth || !isAnchor(childPath)) return next;
    paths.forEach((p, i) => {
      if (p.rule.anchored) closeInto(paths, i, 0, next);
    });
    return next;
  };

  const record = (path: PathKey[], label: string, rule: string) => {
    const full = [...base, ...path];
    masked.push({ pointer: toPointer(full), path: toDotPath(full), label, rule });
  };

  const labelFor = (node: unknown, rule: PathRule): string => {
    const kind: Detector | null = typeof node === "string" ? detect(node) : null;
    return kind ?? rule.label;
  };

  const walk = (node: unknown, path: PathKey[], states: Set<State>, depth: number): unknown => {
    const hit = matchedRule(paths, states);
    if (hit) {
      const label = labelFor(node, hit);
      record(path, label, hit.text);
      return maskMarker(label);
    }
    if (depth > MAX_DEPTH) {
      // Deeper than any real decision record: mask rather than risk leaving a sensitive value unchecked.
      record(path, "too deep to check", "depth limit");
      return maskMarker("too deep to check");
    }
    if (typeof node === "string") {
      if (rules.detectors.size === 0) return node;
      const kind = detect(node, rules.detectors);
      if (!kind) return node;
      record(path, kind, `detect:${kind}`);
      return maskMarker(kind);
    }
    if (Array.isArray(node)) {
      return node.map((item, i) => {
        const childPath = [...path, i];
        return walk(item, childPath, enter(childPath, step(paths, states, i)), depth + 1);
      });
    }
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        const childPath = [...path, k];
        const child = walk(v, childPath, enter(childPath, step(paths, states, k)), depth + 1);
        // A parsed "__proto__" key is data; plain assignment would set the copy's prototype instead.
        if (k === "__proto__") Object.defineProperty(out, k, { value: child, enumerable: true, writable: true, configurable: true });
        else out[k] = child;
      }
      return out;
    }
    return node;
  };

  const result = walk(value, [], rootStates(), 0) as T;
  return { value: result, masked };
}

/** Whether a value is sensitive on its own (no path context): what the detectors say about a string. */
export function detectValue(value: unknown, rules: RuleSet): Detector | null {
  return typeof value === "string" && rules.detectors.size ? detect(value, rules.detectors) : null;
}

/**
 * Every object and array inside `root` mapped to its pointer. Views read out of a masked entry hand on
 * the same object references, so a page can tell where a section's value sits without re-deriving it.
 */
export function pointerIndex(root: unknown): Map<object, string> {
  const index = new Map<object, string>();
  const visit = (node: unknown, pointer: string) => {
    if (node === null || typeof node !== "object" || index.has(node)) return;
    index.set(node, pointer);
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, `${pointer}/${i}`));
    else for (const [k, v] of Object.entries(node)) visit(v, `${pointer}/${escapePointer(k)}`);
  };
  visit(root, "");
  return index;
}
