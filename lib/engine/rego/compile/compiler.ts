// The compiler turns parsed modules into a rule tree indexed by path (data.pkg.rule…): names
// resolved, nested locals renamed, bodies reordered for safety. Evaluation walks that tree.
import type { Expr, Module, Rule, Term } from "../ast.ts";
import { TRUE_TERM } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { type ResolveContext, newScope, resolveBody, resolveTerm } from "./resolve.ts";
import { reorderBody, reorderTerm, type SafetyContext } from "./safety.ts";
import { bodyVars, patternVars } from "./walk.ts";

export type RuleKind = "complete" | "set" | "object" | "function";

export interface CompiledRule {
  kind: RuleKind;
  /** Static path below `data`. */
  path: string[];
  /** Dynamic key terms after the static path (objects built from ref heads). */
  keyTerms: Term[];
  setMember?: Term;
  value: Term;
  /** The value term has no variables: one solution per definition is enough. */
  constantValue: boolean;
  args?: Term[];
  body: Expr[];
  elseRule?: CompiledRule;
  isDefault: boolean;
  file: string;
  line: number;
}

export class RuleNode {
  readonly children = new Map<string, RuleNode>();
  readonly rules: CompiledRule[] = [];
  readonly functions: CompiledRule[] = [];
  defaultRule?: CompiledRule;
  defaultFunction?: CompiledRule;
  /** A package lives here: its value is at least an empty object. */
  isPackage = false;
  constructor(readonly path: string[]) {}
  child(name: string): RuleNode {
    let c = this.children.get(name);
    if (!c) {
      c = new RuleNode([...this.path, name]);
      this.children.set(name, c);
    }
    return c;
  }
  get hasRules(): boolean {
    return this.rules.length > 0 || this.defaultRule !== undefined;
  }
}

export interface CompiledModules {
  root: RuleNode;
  /** Function rules by dotted name `data.pkg.f`. */
  functions: Map<string, RuleNode>;
}

export interface CompilerHooks {
  isBuiltin(name: string): boolean;
  builtinArity(name: string): number | undefined;
}

function staticPrefix(pkg: string[], head: Term[]): { path: string[]; keys: Term[] } {
  const path = [...pkg, (head[0] as { name: string }).name];
  let i = 1;
  for (; i < head.length; i++) {
    const t = head[i];
    if (t.t === "scalar" && typeof t.v === "string") path.push(t.v);
    else break;
  }
  return { path, keys: head.slice(i) };
}

export function compileModules(modules: Module[], hooks: CompilerHooks): CompiledModules {
  const root = new RuleNode([]);
  const functions = new Map<string, RuleNode>();
  const ruleNames = new Map<string, Set<string>>();
  const fnArity = new Map<string, number>();
  for (const m of modules) {
    const key = m.packagePath.join(".");
    const names = ruleNames.get(key) ?? new Set<string>();
    ruleNames.set(key, names);
    for (const r of m.rules) {
      names.add((r.head[0] as { name: string }).name);
      if (r.args) fnArity.set(["data", ...staticPrefix(m.packagePath, r.head).path].join("."), r.args.length);
    }
  }
  const counter = { n: 0 };
  const safety: SafetyContext = { arity: (op) => fnArity.get(op) ?? hooks.builtinArity(op), file: "" };
  for (const m of modules) {
    walkTo(root, m.packagePath).isPackage = true;
    const imports = new Map<string, string[]>();
    for (const imp of m.imports) {
      const p = refStrings(imp.path);
      if (p[0] !== "data" && p[0] !== "input") continue;
      imports.set(imp.alias ?? p[p.length - 1], p);
    }
    const ctx: ResolveContext = {
      packagePath: m.packagePath,
      ruleNames: ruleNames.get(m.packagePath.join("."))!,
      imports,
      isBuiltin: (n) => hooks.isBuiltin(n) || fnArity.has(n),
      functionNames: new Set(fnArity.keys()),
      counter,
      file: m.file,
    };
    safety.file = m.file;
    for (const rule of m.rules) {
      const compiled = compileRule(rule, m, ctx, safety);
      const node = walkTo(root, compiled.path);
      if (compiled.kind === "function") {
        if (rule.isDefault) node.defaultFunction = compiled;
        else node.functions.push(compiled);
        functions.set(["data", ...compiled.path].join("."), node);
      } else if (rule.isDefault) node.defaultRule = compiled;
      else {
        const prev = node.rules[0];
        if (prev && prev.kind !== compiled.kind) {
          throw new RegoError("rego_type_error", `${m.file}:${rule.line}: rego_type_error: conflicting rules data.${compiled.path.join(".")} found`);
        }
        node.rules.push(compiled);
      }
    }
  }
  return { root, functions };
}

function walkTo(root: RuleNode, path: string[]): RuleNode {
  let n = root;
  for (const p of path) n = n.child(p);
  return n;
}

function refStrings(t: Term): string[] {
  if (t.t === "var") return [t.name];
  if (t.t === "ref" && t.head.t === "var") return [t.head.name, ...t.path.map((p) => String((p as { v: unknown }).v))];
  return [];
}

function compileRule(rule: Rule, m: Module, ctx: ResolveContext, safety: SafetyContext): CompiledRule {
  const { path, keys } = staticPrefix(m.packagePath, rule.head);
  const scope = newScope();
  const argVars = new Set<string>();
  for (const a of rule.args ?? []) patternVars(a, argVars);
  for (const v of argVars) if (!v.startsWith("$")) (scope as unknown as { renames: Map<string, string> }).renames.set(v, v);
  const body = resolveBody(rule.body, scope, ctx, true);
  const res = (t: Term) => resolveTerm(t, scope, ctx);
  const args = rule.args?.map(res);
  let kind: RuleKind = args ? "function" : rule.setMember ? "set" : keys.length ? "object" : "complete";
  const setMember = rule.setMember && res(rule.setMember);
  let keyTerms = keys.map(res);
  if (kind === "set" && keyTerms.length) {
    // `a[x] contains y`: treat the dynamic part as object keys whose leaves are sets.
    kind = "object";
  }
  const value = res(rule.value ?? TRUE_TERM);
  const ordered = reorderBody(body, argVars, new Set(), safety);
  const bodyBound = bodyVars(ordered, new Set(argVars));
  const fix = (t: Term) => reorderTerm(t, bodyBound, bodyBound, safety);
  keyTerms = keyTerms.map(fix);
  const compiled: CompiledRule = {
    kind,
    path,
    keyTerms,
    setMember: setMember && fix(setMember),
    value: fix(value),
    constantValue: value.t === "scalar",
    args,
    body: ordered,
    isDefault: rule.isDefault,
    file: rule.file,
    line: rule.line,
  };
  if (rule.elseRule) compiled.elseRule = compileRule({ ...rule.elseRule, head: rule.head, args: rule.args }, m, ctx, safety);
  return compiled;
}

export function compileQuery(body: Expr[], hooks: CompilerHooks, compiled: CompiledModules): Expr[] {
  const fnArity = (op: string) => compiled.functions.get(op)?.functions[0]?.args?.length ?? hooks.builtinArity(op);
  const ctx: ResolveContext = {
    packagePath: [],
    ruleNames: new Set(),
    imports: new Map(),
    isBuiltin: (n) => hooks.isBuiltin(n) || compiled.functions.has(n),
    functionNames: new Set(compiled.functions.keys()),
    counter: { n: 0 },
    file: "query",
  };
  const resolved = resolveBody(body, newScope(), ctx, false);
  return reorderBody(resolved, new Set(), new Set(), { arity: fnArity, file: "query" });
}
