// The Rego syntax tree produced by the parser and rewritten in place by the compiler.
import type { Value } from "./values/value.ts";

export type Term =
  | { t: "scalar"; v: Value }
  | { t: "var"; name: string }
  | { t: "ref"; head: Term; path: Term[] }
  | { t: "array"; items: Term[] }
  | { t: "object"; items: [Term, Term][] }
  | { t: "set"; items: Term[] }
  /** `single`: a template-string part with `with` modifiers, wrapped so the evaluator can scope them. */
  | { t: "arraycomp"; term: Term; body: Expr[]; single?: boolean }
  | { t: "setcomp"; term: Term; body: Expr[] }
  | { t: "objcomp"; key: Term; value: Term; body: Expr[] }
  /** `op` is the dotted name as written; the compiler resolves it to a built-in or a function rule. */
  | { t: "call"; op: string; args: Term[] }
  | { t: "template"; parts: (string | Term)[] }
  /** A function or built-in named as a `with` replacement. */
  | { t: "fnref"; op: string };

export interface WithModifier {
  target: Term;
  value: Term;
}

export type ExprBody =
  | { kind: "term"; term: Term }
  | { kind: "unify"; left: Term; right: Term }
  | { kind: "assign"; left: Term; right: Term }
  | { kind: "some"; vars: string[] }
  | { kind: "somein"; key?: Term; value: Term; collection: Term }
  | { kind: "every"; key?: Term; value: Term; domain: Term; body: Expr[] };

export type Expr = ExprBody & {
  negated: boolean;
  with: WithModifier[];
  line: number;
  file?: string;
  /** Source text of the expression, for explanations. */
  text?: string;
};

export interface Rule {
  /** Head reference relative to the package, e.g. [`p`] or [`a`,`b`,<term x>]. */
  head: Term[];
  /** Function parameters, when the rule is a function. */
  args?: Term[];
  /** `contains` rules build a set; the member term. */
  setMember?: Term;
  /** Value term (defaults to `true`). */
  value?: Term;
  isDefault: boolean;
  body: Expr[];
  elseRule?: Rule;
  line: number;
  file: string;
}

export interface Import {
  path: Term; // a ref rooted at data, input or future/rego
  alias?: string;
}

export interface Module {
  file: string;
  packagePath: string[];
  imports: Import[];
  rules: Rule[];
  /** Parsed as Rego v0 (no `if`/`contains` required). */
  v0: boolean;
}

export const TRUE_TERM: Term = { t: "scalar", v: true };
