// Modules: package, imports and rules (v1 syntax, plus v0 rules without `if`/`contains`).
import { TRUE_TERM, type Expr, type Import, type Module, type Rule, type Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { type Token, tokenize } from "../lexer.ts";
import { TermParser, describe } from "./terms.ts";

export class ModuleParser extends TermParser {
  private sawV0Rule = false;
  private sawFutureImport = false;
  private sawV1Import = false;

  parseModule(): Module {
    if (!this.isIdent("package")) this.fail(`unexpected ${describe(this.tok)} token: expected package`);
    this.next();
    const packagePath = this.refToStrings(this.parseTermInfix(false), false);
    const imports: Import[] = [];
    while (this.isIdent("import") && !this.keywordUsedAsName()) imports.push(this.parseImport());
    const rules: Rule[] = [];
    while (this.tok.kind !== "eof") {
      if (this.isIdent("import") && !this.keywordUsedAsName()) this.fail("unexpected import: imports must come before rules");
      rules.push(...this.parseRule());
    }
    const v0 = !this.sawV1Import && (this.sawFutureImport || this.sawV0Rule);
    // `p[x] if {…}` builds a set in v0 and an object of `true` values in v1.
    if (v0) for (const r of rules) toV0Set(r);
    return { file: this.file, packagePath, imports, rules, v0 };
  }

  private parseImport(): Import {
    this.next();
    const path = this.parseTermInfix(false);
    const names = this.refToStrings(path, true);
    if (names[0] === "future") this.sawFutureImport = true;
    if (names[0] === "rego" && names[1] === "v1") this.sawV1Import = true;
    let alias: string | undefined;
    if (this.isIdent("as")) {
      this.next();
      alias = this.expectIdent();
    }
    return { path, alias };
  }

  private refToStrings(t: Term, allowHead: boolean): string[] {
    if (t.t === "var") return [t.name];
    if (t.t === "ref" && t.head.t === "var" && t.path.every((p) => p.t === "scalar" && typeof p.v === "string")) {
      return [t.head.name, ...t.path.map((p) => (p as { v: string }).v)];
    }
    if (!allowHead) this.fail("package must be a reference of strings");
    return this.fail("invalid import path");
  }

  private parseRule(): Rule[] {
    const start = this.tok;
    let isDefault = false;
    if (this.isIdent("default") && !this.keywordUsedAsName()) {
      this.next();
      isDefault = true;
    }
    const headTerm = this.parseHeadRef();
    const rule: Rule = { head: [], isDefault, body: [], line: start.line, file: this.file };
    if (headTerm.t === "call") {
      rule.head = nameToHead(headTerm.op);
      rule.args = headTerm.args;
    } else rule.head = refToHead(headTerm, this.fail.bind(this));
    if (this.isIdent("contains") && !this.keywordUsedAsName()) {
      this.next();
      rule.setMember = this.parseTermInfix(false);
    } else if (this.isOp(":=") || this.isOp("=")) {
      this.next();
      rule.value = this.parseTermInfix(false);
    }
    if (isDefault) {
      if (!rule.value) this.fail("default rules must have a value");
      return [rule];
    }
    const bodies = this.parseRuleBodies();
    rule.body = bodies.shift() ?? [constTrue(start)];
    let tail = rule;
    while (this.isIdent("else") && !this.keywordUsedAsName()) {
      const elseTok = this.next();
      const alt: Rule = { head: rule.head, args: rule.args, isDefault: false, body: [], line: elseTok.line, file: this.file };
      if (this.isOp(":=") || this.isOp("=")) {
        this.next();
        alt.value = this.parseTermInfix(false);
      }
      alt.body = this.parseRuleBodies().shift() ?? [constTrue(elseTok)];
      tail.elseRule = alt;
      tail = alt;
    }
    // v0 allowed `p { a } { b }`: each extra body is another definition of the same rule.
    return [rule, ...bodies.map((body) => ({ ...rule, body, elseRule: undefined }))];
  }

  private parseHeadRef(): Term {
    // Head refs must not swallow `contains`/`if`/`:=`; parse a plain postfix term.
    return this.parseTermAt("factor");
  }

  private parseRuleBodies(): Expr[][] {
    const bodies: Expr[][] = [];
    if (this.isIdent("if") && !this.keywordUsedAsName()) {
      this.next();
      if (this.isOp("{")) {
        // `if { … }` is a body, unless it only parses as a term (`if {x: 1 | …}`).
        const save = this.pos;
        try {
          bodies.push(this.parseBraceBody());
        } catch (err) {
          this.pos = save;
          try {
            bodies.push([this.parseExpr()]);
          } catch {
            throw err;
          }
        }
      } else {
        const e = this.parseExpr();
        bodies.push([e]);
      }
      return bodies;
    }
    while (this.isOp("{")) {
      this.sawV0Rule = true;
      bodies.push(this.parseBraceBody());
    }
    return bodies;
  }

  private parseBraceBody(): Expr[] {
    this.expectOp("{");
    const body = this.parseBody("}");
    this.expectOp("}");
    return body;
  }

  protected override subTerm(src: string, tok: Token): Term {
    const sub = new ModuleParser(tokenize(src, this.file).map((t) => ({ ...t, line: tok.line })), this.file);
    const expr = sub.parseExpr();
    if (sub.tok.kind !== "eof" || expr.kind !== "term" || expr.negated) this.fail("unexpected token in template expression", tok);
    if (expr.with.length === 0) return expr.term;
    // `{x with input as …}`: evaluate the part in its own scope so the modifiers apply to it only.
    const out: Term = { t: "var", name: `$tpl${tok.start}_${src.length}` };
    return { t: "arraycomp", term: out, body: [{ kind: "unify", left: out, right: expr.term, negated: false, with: expr.with, line: tok.line, file: this.file }], single: true };
  }
}

function constTrue(tok: Token): Expr {
  return { kind: "term", term: TRUE_TERM, negated: false, with: [], line: tok.line };
}

function nameToHead(name: string): Term[] {
  return name.split(".").map((s, i) => (i === 0 ? { t: "var", name: s } : { t: "scalar", v: s }));
}

function refToHead(t: Term, fail: (m: string) => never): Term[] {
  if (t.t === "var") return [t];
  if (t.t === "ref" && t.head.t === "var") return [t.head, ...t.path];
  return fail("rule head must be a reference");
}

function toV0Set(rule: Rule): void {
  if (!rule.value && !rule.setMember && !rule.args && rule.head.length === 2 && rule.head[1].t !== "scalar") {
    rule.setMember = rule.head[1];
    rule.head = [rule.head[0]];
  }
}

/** Parses one module; throws RegoError with code rego_parse_error. */
export function parseModule(src: string, file: string): Module {
  return new ModuleParser(tokenize(src, file), file, src).parseModule();
}

/** Parses a query (a body at top level). */
export function parseQuery(src: string): Expr[] {
  const p = new ModuleParser(tokenize(src, "query"), "query", src);
  const body = p.parseBody("");
  return body;
}

/** Parses a single term (e.g. `input_term`). */
export function parseTerm(src: string): Term {
  const p = new QueryParser(tokenize(src, "term"), "term");
  return p.term();
}

class QueryParser extends ModuleParser {
  term(): Term {
    const t = this.parseTermInfix(false);
    if (this.tok.kind !== "eof") this.fail(`unexpected ${describe(this.tok)} token`);
    return t;
  }
}

export { RegoError };
