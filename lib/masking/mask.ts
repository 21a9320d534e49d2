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

// Path rules run as small automata over the keys from the root. A state is (rule, position in its
// segments); `**` may match nothing, so entering a position also enters the ones after its `**`s.
// Unanchored rules may start at any depth: instead of carrying a "may start here" state for every rule
// through every node, the rules are indexed by their first key, so a node costs only the rules whose
// first key it is plus the partial matches in progress (measured: ~10x faster on demo records).
interface CompiledRules {
  rules: PathRule[];
  /** Segments per rule; unanchored rules without their leading `**`s (the start is implicit everywhere). */
  segs: PathRule["segments"][];
  startByKey: Map<string, number[]>;
  startAny: number[];
  anchored: number[];
}

const compiledCache = new WeakMap<RuleSet, CompiledRules>();

function compiled(rules: RuleSet): CompiledRules {
  let c = compiledCache.get(rules);
  if (c) return c;
  c = { rules: rules.paths, segs: [], startByKey: new Map(), startAny: [], anchored: [] };
  rules.paths.forEach((rule, i) => {
    if (rule.anchored) {
      c!.segs.push(rule.segments);
      c!.anchored.push(i);
      return;
    }
    let from = 0;
    while (rule.segments[from]?.type === "deep") from++;
    const segs = rule.segments.slice(from);
    c!.segs.push(segs);
    const first = segs[0];
    if (first.type === "any") c!.startAny.push(i);
    else if (first.type === "key") {
      const list = c!.startByKey.get(first.name) ?? [];
      list.push(i);
      c!.startByKey.set(first.name, list);
    }
  });
  compiledCache.set(rules, c);
  return c;
}

type State = number; // rule index * 64 + position (rules have at most 33 segments)
const enc = (rule: number, pos: number): State => rule * 64 + pos;

/** Adds `pos` and, through `**` (which may match nothing), the positions after it. */
function closeInto(c: CompiledRules, rule: number, pos: number, out: State[]) {
  const segs = c.segs[rule];
  let p = pos;
  for (;;) {
    const s = enc(rule, p);
    if (!out.includes(s)) out.push(s);
    if (p < segs.length && segs[p].type === "deep") p++;
    else return;
  }
}

function step(c: CompiledRules, states: State[], key: PathKey): State[] {
  const next: State[] = [];
  const lower = typeof key === "string" ? key.toLowerCase() : String(key);
  for (const s of states) {
    const rule = Math.floor(s / 64);
    const pos = s % 64;
    const segs = c.segs[rule];
    if (pos >= segs.length) continue;
    const seg = segs[pos];
    if (seg.type === "deep") closeInto(c, rule, pos, next);
    else if (seg.type === "any" || seg.name === lower) closeInto(c, rule, pos + 1, next);
  }
  const starts = c.startByKey.get(lower);
  if (starts) for (const r of starts) closeInto(c, r, 1, next);
  for (const r of c.startAny) closeInto(c, r, 1, next);
  return next;
}

/** The first rule (in list order) whose automaton has reached its end at this node, or null. */
function matchedRule(c: CompiledRules, states: State[]): PathRule | null {
  let best = -1;
  for (const s of states) {
    const rule = Math.floor(s / 64);
    if (s % 64 === c.segs[rule].length && (best < 0 || rule < best)) best = rule;
  }
  return best < 0 ? null : c.rules[best];
}

const MAX_DEPTH = 200;

export function maskJson<T = unknown>(value: T, rules: RuleSet, opts: MaskOptions = {}): MaskResult<T> {
  const c = compiled(rules);
  const masked: MaskedField[] = [];
  const anchors = opts.anchors ?? [[]];
  const base = opts.basePath ?? [];
  const maxAnchorDepth = Math.max(...anchors.map((a) => a.length));
  const path: PathKey[] = [];
  const atAnchor = () =>
    path.length <= maxAnchorDepth && anchors.some((a) => a.length === path.length && a.every((k, i) => String(k) === String(path[i])));
  // Anchored rules start at the anchors (the root by default).
  const enter = (states: State[]): State[] => {
    if (c.anchored.length && atAnchor()) for (const r of c.anchored) closeInto(c, r, 0, states);
    return states;
  };

  const record = (label: string, rule: string) => {
    const full = [...base, ...path];
    masked.push({ pointer: toPointer(full), path: toDotPath(full), label, rule });
  };

  const labelFor = (node: unknown, rule: PathRule): string => {
    const kind: Detector | null = typeof node === "string" ? detect(node) : null;
    return kind ?? rule.label;
  };

  const walk = (node: unknown, states: State[], depth: number): unknown => {
    const hit = states.length ? matchedRule(c, states) : null;
    if (hit) {
      const label = labelFor(node, hit);
      record(label, hit.text);
      return maskMarker(label);
    }
    if (depth > MAX_DEPTH) {
      // Deeper than any real decision record: mask rather than risk leaving a sensitive value unchecked.
      record("too deep to check", "depth limit");
      return maskMarker("too deep to check");
    }
    if (typeof node === "string") {
      if (rules.detectors.size === 0) return node;
      const kind = detect(node, rules.detectors);
      if (!kind) return node;
      record(kind, `detect:${kind}`);
      return maskMarker(kind);
    }
    if (Array.isArray(node)) {
      const out = new Array<unknown>(node.length);
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        out[i] = walk(node[i], enter(step(c, states, i)), depth + 1);
        path.pop();
      }
      return out;
    }
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        path.push(k);
        const child = walk(v, enter(step(c, states, k)), depth + 1);
        path.pop();
        // A parsed "__proto__" key is data; plain assignment would set the copy's prototype instead.
        if (k === "__proto__") Object.defineProperty(out, k, { value: child, enumerable: true, writable: true, configurable: true });
        else out[k] = child;
      }
      return out;
    }
    return node;
  };

  const result = walk(value, enter([]), 0) as T;
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
