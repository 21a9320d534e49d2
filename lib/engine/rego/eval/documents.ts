// The data document: base data (JSON) merged with virtual documents (rules), resolved lazily by
// path. Rule values are computed once per evaluation (per `with` scope) and cached.
import type { Term } from "../ast.ts";
import { type CompiledRule, RuleNode } from "../compile/compiler.ts";
import { RegoError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, valuesEqual } from "../values/value.ts";
import type { Env, Evaluator, ValueCont } from "./evaluator.ts";
import { lookup, upsert } from "./values-access.ts";

const IN_PROGRESS = Symbol("in progress");
/** Stands in for a path that only `with data.… as …` creates. */
const EMPTY_NODE = new RuleNode([]);
/** Paths are tracked only while `with data…` overrides are active. */
const EMPTY_PATH: string[] = [];

export class DocumentResolver {
  private staticNodes?: Set<RuleNode>;
  private staticValues?: Map<RuleNode, { value: Value | undefined }>;
  constructor(private readonly ev: Evaluator) {}

  /** Shares values of input-independent rules across evaluations of one compiled policy set. */
  useStaticCache(nodes: Set<RuleNode>, values: Map<RuleNode, { value: Value | undefined }>): void {
    this.staticNodes = nodes;
    this.staticValues = values;
  }

  evalDataRef(path: Term[], env: Env, k: ValueCont): boolean {
    return this.walkData(this.ev.compiled.root, this.ev.state.baseData, [], path, 0, env, k);
  }

  private walkData(node: RuleNode | undefined, base: Value | undefined, at: string[], path: Term[], i: number, env: Env, k: ValueCont): boolean {
    const overrides = this.ev.state.dataOverrides;
    if (overrides.length) {
      const exact = findOverride(overrides, at);
      if (exact !== undefined) return this.ev.walk(exact, path, i, env, k);
      if (node === undefined) {
        if (!hasDeeperOverride(overrides, at)) return base === undefined ? false : this.walkBase(base, path, i, env, k);
        node = EMPTY_NODE;
      }
    }
    if (node === undefined) return base === undefined ? false : this.walkBase(base, path, i, env, k);
    if (node.hasRules) {
      // Where base data and a rule occupy the same path, OPA reads the base document.
      if (base !== undefined && !node.children.size) return this.walkBase(base, path, i, env, k);
      const v = this.nodeValue(node, base, at);
      return v === undefined ? false : this.ev.walk(v, path, i, env, k);
    }
    if (i === path.length) {
      const v = this.nodeValue(node, base, at);
      return v === undefined ? false : k(v);
    }
    const key = path[i];
    if (key.t === "scalar") return this.walkDataKey(key.v, node, base, at, path, i, env, k);
    if (key.t === "var" && !env.has(key.name)) {
      const v = this.nodeValue(node, base, at);
      return v === undefined ? false : this.ev.walk(v, path, i, env, k);
    }
    return this.ev.evalTerm(key, env, (kv) => this.walkDataKey(kv, node, base, at, path, i, env, k));
  }

  /** Walks base (JSON) data, where a number key also addresses the string key of the same digits. */
  private walkBase(v: Value, path: Term[], i: number, env: Env, k: ValueCont): boolean {
    while (i < path.length) {
      const key = path[i];
      if (key.t !== "scalar" || typeof key.v !== "number" || !(v instanceof RegoObject) || v.has(key.v)) break;
      const child = v.get(String(key.v));
      if (child === undefined) return false;
      v = child;
      i++;
    }
    return this.ev.walk(v, path, i, env, k);
  }

  private walkDataKey(kv: Value, node: RuleNode, base: Value | undefined, at: string[], path: Term[], i: number, env: Env, k: ValueCont): boolean {
    const overrides = this.ev.state.dataOverrides;
    // Base documents are JSON: a number key also addresses the string key of the same digits.
    if (typeof kv === "number" && base instanceof RegoObject && !base.has(kv) && base.has(String(kv))) kv = String(kv);
    if (typeof kv !== "string") {
      const child = base === undefined ? undefined : lookup(base, kv);
      return child === undefined ? false : this.ev.walk(child, path, i + 1, env, k);
    }
    const childNode = node.children.get(kv);
    const childBase = base === undefined ? undefined : lookup(base, kv);
    const childAt = overrides.length ? [...at, kv] : at;
    if (!childNode && childBase === undefined && (!overrides.length || (!hasDeeperOverride(overrides, childAt) && findOverride(overrides, childAt) === undefined))) return false;
    return this.walkData(childNode, childBase, overrides.length ? childAt : EMPTY_PATH, path, i + 1, env, k);
  }

  /** Full value at a node: base data merged with the values of rules at and below it. */
  private nodeValue(node: RuleNode, base: Value | undefined, at: string[]): Value | undefined {
    let v: Value | undefined;
    if (node.hasRules) v = base !== undefined && !node.children.size ? base : this.ruleValue(node);
    if (node.children.size) {
      let obj: RegoObject;
      if (v instanceof RegoObject) obj = RegoObject.from(v.entries());
      else if (v === undefined) obj = base instanceof RegoObject ? RegoObject.from(base.entries()) : new RegoObject();
      else return this.applyOverrides(v, at);
      for (const [name, child] of node.children) {
        if (child.functions.length || child.defaultFunction) continue;
        const cv = this.nodeValue(child, base === undefined ? undefined : lookup(base, name), [...at, name]);
        if (cv === undefined) continue;
        const prev = v instanceof RegoObject ? v.get(name) : undefined;
        obj.set(name, prev === undefined ? cv : mergeDocuments(prev, cv));
      }
      v = obj;
    } else if (v === undefined) v = base ?? (node.isPackage || hasDeeperOverride(this.ev.state.dataOverrides, at) ? new RegoObject() : undefined);
    return v === undefined ? undefined : this.applyOverrides(v, at);
  }

  private applyOverrides(v: Value, at: string[]): Value {
    for (const o of this.ev.state.dataOverrides) {
      if (o.path.length >= at.length && at.every((s, j) => o.path[j] === s)) v = upsert(v, o.path.slice(at.length), o.value);
    }
    return v;
  }

  /** Value of the rules at a node (complete, set or object), cached per evaluation. */
  ruleValue(node: RuleNode): Value | undefined {
    const state = this.ev.state;
    if (this.staticNodes?.has(node) && !state.dataOverrides.length && !state.fnOverrides.size) {
      const shared = this.staticValues!;
      const hit = shared.get(node);
      if (hit) return hit.value;
      const value = this.ruleValueInScope(node);
      shared.set(node, { value });
      return value;
    }
    return this.ruleValueInScope(node);
  }

  private ruleValueInScope(node: RuleNode): Value | undefined {
    const cache = this.ev.state.cache;
    const hit = cache.get(node);
    if (hit !== undefined) return hit === (IN_PROGRESS as unknown) ? this.recursion(node) : (hit ?? undefined);
    if (cache.has(node)) return undefined;
    cache.set(node, IN_PROGRESS as unknown as Value);
    let v: Value | undefined;
    try {
      v = this.computeRuleValue(node);
    } catch (err) {
      cache.delete(node);
      throw err;
    }
    cache.set(node, v === undefined ? (undefined as unknown as Value) : v);
    if (v === undefined) cache.set(node, undefined as unknown as Value);
    if (this.ev.trace) this.ev.trace.push({ kind: "rule", path: "data." + node.path.join("."), file: node.rules[0]?.file ?? "", line: node.rules[0]?.line ?? 0, defined: v !== undefined });
    return v;
  }

  private recursion(node: RuleNode): never {
    throw new RegoError("rego_recursion_error", `rego_recursion_error: rule data.${node.path.join(".")} is recursive`);
  }

  private computeRuleValue(node: RuleNode): Value | undefined {
    const rules = node.rules;
    const kind = rules[0]?.kind ?? "complete";
    if (kind === "set") {
      const out = new RegoSet();
      for (const r of rules) {
        const env: Env = new Map();
        this.ev.evalBody(r.body, 0, env, () => this.ev.evalTerm(r.setMember!, env, (m) => (out.add(m), false)));
      }
      return out;
    }
    if (kind === "object") return this.objectValue(rules);
    let value: Value | undefined;
    for (const r of rules) {
      const v = this.completeValue(r);
      if (v === undefined) continue;
      if (value !== undefined && !valuesEqual(value, v)) throw new RegoError("eval_conflict_error", `${r.file}:${r.line}: eval_conflict_error: complete rules must not produce multiple outputs`);
      value = v;
    }
    if (value === undefined && node.defaultRule) this.ev.evalTerm(node.defaultRule.value, new Map(), (v) => ((value = v), true));
    return value;
  }

  /** One definition of a complete rule (with its else chain). */
  private completeValue(r: CompiledRule, env: Env = new Map()): Value | undefined {
    for (let rule: CompiledRule | undefined = r; rule; rule = rule.elseRule) {
      let value: Value | undefined;
      let found = false;
      this.ev.evalBody(rule.body, 0, env, () =>
        this.ev.evalTerm(rule.value, env, (v) => {
          found = true;
          if (value !== undefined && !valuesEqual(value, v)) throw new RegoError("eval_conflict_error", `${rule.file}:${rule.line}: eval_conflict_error: complete rules must not produce multiple outputs`);
          value = v;
          return rule.constantValue;
        }),
      );
      if (found) return value;
    }
    return undefined;
  }

  private objectValue(rules: CompiledRule[]): Value {
    const out = new RegoObject();
    for (const r of rules) {
      const env: Env = new Map();
      this.ev.evalBody(r.body, 0, env, () =>
        this.ev.evalTerms(r.keyTerms, 0, [], env, (keys) => {
          if (r.setMember) return this.ev.evalTerm(r.setMember, env, (m) => (insertSetLeaf(out, keys, m), false));
          return this.ev.evalTerm(r.value, env, (v) => (insertLeaf(out, keys, v, r), false));
        }),
      );
    }
    return out;
  }

  private bindArgsAndRun(rule: CompiledRule, args: Value[], i: number, env: Env, prior: Value | undefined): { found: boolean; result: Value | undefined } {
    const call: FunctionCall = { rule, args, env, found: false, result: prior };
    this.bindParams(call, i);
    return { found: call.found, result: call.result };
  }

  // Methods rather than inner closures: these run on every function call (see docs/rego.md, Performance).
  private bindParams(c: FunctionCall, j: number): boolean {
    const params = c.rule.args!;
    if (j === c.args.length) return this.ev.evalBody(c.rule.body, 0, c.env, () => this.checkComputedParams(c, 0));
    // Parameters that are computed (templates, calls, refs) may use body variables: compared after the body.
    if (isComputed(params[j])) return this.bindParams(c, j + 1);
    return this.ev.unifyValue(params[j], c.args[j], c.env, () => this.bindParams(c, j + 1));
  }

  private checkComputedParams(c: FunctionCall, j: number): boolean {
    const params = c.rule.args!;
    if (j === params.length) {
      return this.ev.evalTerm(c.rule.value, c.env, (v) => {
        c.found = true;
        if (c.result !== undefined && !valuesEqual(c.result, v)) throw new RegoError("eval_conflict_error", `${c.rule.file}:${c.rule.line}: eval_conflict_error: functions must not produce multiple outputs for same inputs`);
        c.result = v;
        return false;
      });
    }
    if (!isComputed(params[j])) return this.checkComputedParams(c, j + 1);
    return this.ev.evalTerm(params[j], c.env, (v) => (valuesEqual(v, c.args[j]) ? this.checkComputedParams(c, j + 1) : false));
  }

  callFunction(node: RuleNode, args: Value[], k: ValueCont): boolean {
    let result: Value | undefined;
    for (const fn of node.functions) {
      for (let rule: CompiledRule | undefined = fn; rule; rule = rule.elseRule) {
        let found = false;
        const env: Env = new Map();
        const out = this.bindArgsAndRun(rule, args, 0, env, result);
        found = out.found;
        result = out.result;
        if (found) break;
      }
    }
    if (result === undefined && node.defaultFunction) this.ev.evalTerm(node.defaultFunction.value, new Map(), (v) => ((result = v), true));
    return result === undefined ? false : k(result);
  }
}


function insertLeaf(out: RegoObject, keys: Value[], v: Value, r: CompiledRule): void {
  let o = out;
  for (let i = 0; i < keys.length - 1; i++) {
    let next = o.get(keys[i]);
    if (!(next instanceof RegoObject)) {
      next = new RegoObject();
      o.set(keys[i], next);
    }
    o = next;
  }
  const last = keys[keys.length - 1];
  const prev = o.get(last);
  if (prev !== undefined && !valuesEqual(prev, v)) {
    throw new RegoError("eval_conflict_error", `${r.file}:${r.line}: eval_conflict_error: object keys must be unique`);
  }
  o.set(last, v);
}

function insertSetLeaf(out: RegoObject, keys: Value[], m: Value): void {
  let o = out;
  for (let i = 0; i < keys.length - 1; i++) {
    let next = o.get(keys[i]);
    if (!(next instanceof RegoObject)) {
      next = new RegoObject();
      o.set(keys[i], next);
    }
    o = next;
  }
  const last = keys[keys.length - 1];
  let s = o.get(last);
  if (!(s instanceof RegoSet)) {
    s = new RegoSet();
    o.set(last, s);
  }
  s.add(m);
}

function findOverride(overrides: { path: string[]; value: Value }[], at: string[]): Value | undefined {
  let found: Value | undefined;
  for (const o of overrides) if (o.path.length === at.length && o.path.every((s, j) => s === at[j])) found = o.value;
  return found;
}

function hasDeeperOverride(overrides: { path: string[]; value: Value }[], at: string[]): boolean {
  return overrides.some((o) => o.path.length > at.length && at.every((s, j) => o.path[j] === s));
}

/** Merges two rule-produced documents at the same path; differing leaves conflict, as in OPA. */
function mergeDocuments(a: Value, b: Value): Value {
  if (a instanceof RegoObject && b instanceof RegoObject) {
    const out = RegoObject.from(a.entries());
    for (const [k, v] of b.entries()) {
      const prev = out.get(k);
      out.set(k, prev === undefined ? v : mergeDocuments(prev, v));
    }
    return out;
  }
  if (a instanceof RegoSet && b instanceof RegoSet) return RegoSet.from([...a.values(), ...b.values()]);
  if (valuesEqual(a, b)) return a;
  throw new RegoError("eval_conflict_error", "eval_conflict_error: object keys must be unique");
}

interface FunctionCall {
  rule: CompiledRule;
  args: Value[];
  env: Env;
  found: boolean;
  result: Value | undefined;
}

function isComputed(param: Term): boolean {
  return param.t === "template" || param.t === "call" || param.t === "ref";
}
