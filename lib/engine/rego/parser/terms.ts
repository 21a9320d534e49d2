// Terms, expressions and bodies. Infix operators become calls to the built-ins OPA maps them
// to (`==` → equal, `+` → plus, `in` → internal.member_2), so the evaluator sees one form.
import type { Expr, ExprBody, Term, WithModifier } from "../ast.ts";
import { RegoError } from "../errors.ts";
import type { Token } from "../lexer.ts";
import { parseNumberLiteral } from "../values/json.ts";
import { templateParts } from "./template.ts";

const RELATION_OPS: Record<string, string> = { "==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte" };
const ARITH_OPS: Record<string, string> = { "+": "plus", "-": "minus" };
const FACTOR_OPS: Record<string, string> = { "*": "mul", "/": "div", "%": "rem" };

export class TermParser {
  protected pos = 0;
  private wildcardCounter = 0;
  constructor(
    protected readonly tokens: Token[],
    protected readonly file: string,
    /** Source text, when available, so expressions can be quoted in explanations. */
    protected readonly src?: string,
  ) {}

  protected get tok(): Token {
    return this.tokens[this.pos];
  }
  protected peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)];
  }
  protected isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === "op" && t.text === text;
  }
  protected isIdent(text: string, t: Token = this.tok): boolean {
    return t.kind === "ident" && t.text === text;
  }
  protected next(): Token {
    const t = this.tok;
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  protected fail(msg: string, t: Token = this.tok): never {
    throw new RegoError("rego_parse_error", `${this.file}:${t.line}: rego_parse_error: ${msg}`);
  }
  protected expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`unexpected ${describe(this.tok)}: expected ${text}`);
    return this.next();
  }
  protected expectIdent(): string {
    if (this.tok.kind !== "ident") this.fail(`unexpected ${describe(this.tok)}: expected ident`);
    return this.next().text;
  }
  /** `default.foo`, `not.bar(x)`: a keyword directly followed by `.` is a name. */
  protected keywordUsedAsName(): boolean {
    const n = this.peek();
    return n.kind === "op" && n.text === "." && !n.spaceBefore;
  }

  protected freshWildcard(): Term {
    return { t: "var", name: `$_${this.wildcardCounter++}` };
  }

  /** A body: expressions separated by `;` or newlines, ending before `close`. */
  parseBody(close: string): Expr[] {
    const body: Expr[] = [];
    const atClose = () => (close === "" ? this.tok.kind === "eof" : this.isOp(close));
    while (this.isOp(";")) this.next();
    while (!atClose()) {
      if (this.tok.kind === "eof") this.fail(`unexpected eof token: expected ${close}`);
      body.push(this.parseExpr());
      if (this.isOp(";")) {
        while (this.isOp(";")) this.next();
      } else if (!atClose() && !this.tok.nlBefore) this.fail(`unexpected ${describe(this.tok)} token`);
    }
    if (body.length === 0) this.fail("found empty body");
    return body;
  }

  parseExpr(): Expr {
    const start = this.tok;
    let negated = false;
    if (this.isIdent("not") && !this.keywordUsedAsName()) {
      this.next();
      negated = true;
    }
    let body: ExprBody;
    if (!negated && this.isIdent("some") && !this.keywordUsedAsName()) body = this.parseSome();
    else if (!negated && this.isIdent("every") && !this.keywordUsedAsName()) body = this.parseEvery();
    else body = this.parseExprBody();
    const withs: WithModifier[] = [];
    while (this.isIdent("with") && !this.keywordUsedAsName()) {
      this.next();
      const target = this.parseTermInfix(true);
      if (!this.isIdent("as")) this.fail(`unexpected ${describe(this.tok)}: expected as`);
      this.next();
      withs.push({ target, value: this.parseTermInfix(true) });
    }
    const last = this.tokens[Math.max(0, this.pos - 1)];
    const text = this.src?.slice(start.start, last.end);
    return { ...body, negated, with: withs, line: start.line, file: this.file, text };
  }

  private parseSome(): ExprBody {
    this.next();
    const first = this.parseTermInfix(false);
    if (this.isOp(",")) {
      this.next();
      const second = this.parseTermAt("arith");
      if (this.isIdent("in")) {
        this.next();
        return { kind: "somein", key: first, value: second, collection: this.parseTermInfix(false) };
      }
      const vars = [first, second];
      while (this.isOp(",")) {
        this.next();
        vars.push(this.parseTermInfix(false));
      }
      return { kind: "some", vars: vars.map((v) => this.declaredVar(v)) };
    }
    if (first.t === "call" && first.op === "internal.member_2") return { kind: "somein", value: first.args[0], collection: first.args[1] };
    return { kind: "some", vars: [this.declaredVar(first)] };
  }

  private declaredVar(t: Term): string {
    if (t.t !== "var") this.fail("expected var in some declaration");
    return t.name;
  }

  private parseEvery(): ExprBody {
    this.next();
    const first = this.parseTermAt("arith");
    let key: Term | undefined;
    let value = first;
    if (this.isOp(",")) {
      this.next();
      key = first;
      value = this.parseTermAt("arith");
    }
    if (!this.isIdent("in")) this.fail(`unexpected ${describe(this.tok)}: expected in`);
    this.next();
    const domain = this.parseTermInfix(false);
    this.expectOp("{");
    const body = this.parseBody("}");
    this.expectOp("}");
    return { kind: "every", key, value, domain, body };
  }

  private parseExprBody(): ExprBody {
    const left = this.parseTermInfix(false);
    if (this.isOp(",") && this.allowsTupleMembership()) {
      // `k, v in coll` as an expression.
      this.next();
      const value = this.parseTermAt("arith");
      if (!this.isIdent("in")) this.fail(`unexpected ${describe(this.tok)}: expected in`);
      this.next();
      const coll = this.parseTermInfix(false);
      return { kind: "term", term: { t: "call", op: "internal.member_3", args: [left, value, coll] } };
    }
    if (this.isOp(":=") || this.isOp("=")) {
      const op = this.next().text;
      const right = this.parseTermInfix(false);
      return op === ":=" ? { kind: "assign", left, right } : { kind: "unify", left, right };
    }
    return { kind: "term", term: left };
  }

  private allowsTupleMembership(): boolean {
    // Look ahead for `, <term> in` on the same logical expression.
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === "eof") return false;
      if (t.kind === "op" && "([{".includes(t.text)) depth++;
      else if (t.kind === "op" && ")]}".includes(t.text)) {
        if (depth === 0) return false;
        depth--;
      } else if (depth === 0 && t.kind === "ident" && t.text === "in") return true;
      else if (depth === 0 && (t.nlBefore || (t.kind === "op" && (t.text === ";" || t.text === ",")))) return false;
    }
    return false;
  }

  /** A term with infix operators; `noOr` stops at `|` (comprehension heads). */
  parseTermInfix(noOr: boolean): Term {
    return this.parseMembership(noOr);
  }

  private parseMembership(noOr: boolean): Term {
    let left = this.parseRelation(noOr);
    while (this.isIdent("in") && !this.tok.nlBefore) {
      this.next();
      const right = this.parseRelation(noOr);
      left = { t: "call", op: "internal.member_2", args: [left, right] };
    }
    return left;
  }

  private parseRelation(noOr: boolean): Term {
    let left = noOr ? this.parseAnd() : this.parseOr();
    while (this.tok.kind === "op" && RELATION_OPS[this.tok.text] && !this.tok.nlBefore) {
      const op = RELATION_OPS[this.next().text];
      const right = noOr ? this.parseAnd() : this.parseOr();
      left = { t: "call", op, args: [left, right] };
    }
    return left;
  }

  private parseOr(): Term {
    let left = this.parseAnd();
    while (this.isOp("|") && !this.tok.nlBefore) {
      this.next();
      left = { t: "call", op: "or", args: [left, this.parseAnd()] };
    }
    return left;
  }

  private parseAnd(): Term {
    let left = this.parseTermAt("arith");
    while (this.isOp("&") && !this.tok.nlBefore) {
      this.next();
      left = { t: "call", op: "and", args: [left, this.parseTermAt("arith")] };
    }
    return left;
  }

  protected parseTermAt(level: "arith" | "factor"): Term {
    if (level === "arith") {
      let left = this.parseTermAt("factor");
      while (this.tok.kind === "op" && ARITH_OPS[this.tok.text] && !this.tok.nlBefore) {
        const op = ARITH_OPS[this.next().text];
        left = { t: "call", op, args: [left, this.parseTermAt("factor")] };
      }
      return left;
    }
    let left = this.parseUnary();
    while (this.tok.kind === "op" && FACTOR_OPS[this.tok.text] && !this.tok.nlBefore) {
      const op = FACTOR_OPS[this.next().text];
      left = { t: "call", op, args: [left, this.parseUnary()] };
    }
    return left;
  }

  private parseUnary(): Term {
    if (this.isOp("-") && this.peek().kind === "number" && !this.peek().spaceBefore) {
      this.next();
      const n = parseNumberLiteral("-" + this.next().text);
      return this.parsePostfix({ t: "scalar", v: n });
    }
    if (this.isOp("-")) {
      this.next();
      return { t: "call", op: "minus", args: [{ t: "scalar", v: 0 }, this.parseUnary()] };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Term {
    const t = this.tok;
    switch (t.kind) {
      case "number":
        this.next();
        return { t: "scalar", v: parseNumberLiteral(t.text) };
      case "string":
      case "rawstring":
        this.next();
        return { t: "scalar", v: t.value! };
      case "template":
        this.next();
        return this.parseTemplate(t);
      case "ident":
        const asName = this.keywordUsedAsName();
        this.next();
        if (t.text === "true" && !asName) return { t: "scalar", v: true };
        if (t.text === "false" && !asName) return { t: "scalar", v: false };
        if (t.text === "null" && !asName) return { t: "scalar", v: null };
        if (t.text === "_") return this.freshWildcard();
        return { t: "var", name: t.text };
      case "op":
        if (t.text === "(") {
          this.next();
          const inner = this.parseTermInfix(false);
          if (this.isOp(",")) {
            this.next();
            const value = this.parseTermAt("arith");
            if (!this.isIdent("in")) this.fail(`unexpected ${describe(this.tok)}: expected in`);
            this.next();
            const coll = this.parseRelation(false);
            this.expectOp(")");
            return { t: "call", op: "internal.member_3", args: [inner, value, coll] };
          }
          this.expectOp(")");
          return inner;
        }
        if (t.text === "[") return this.parseArray();
        if (t.text === "{") return this.parseBrace();
    }
    return this.fail(`unexpected ${describe(t)} token`);
  }

  private parseArray(): Term {
    this.expectOp("[");
    if (this.isOp("]")) {
      this.next();
      return { t: "array", items: [] };
    }
    const first = this.parseTermInfix(true);
    if (this.isOp("|")) {
      this.next();
      const body = this.parseBody("]");
      this.expectOp("]");
      return { t: "arraycomp", term: first, body };
    }
    const items = [first, ...this.parseListTail("]")];
    return { t: "array", items };
  }

  private parseListTail(close: string): Term[] {
    const items: Term[] = [];
    while (this.isOp(",")) {
      this.next();
      if (this.isOp(close)) break;
      items.push(this.parseTermInfix(false));
    }
    this.expectOp(close);
    return items;
  }

  private parseBrace(): Term {
    this.expectOp("{");
    if (this.isOp("}")) {
      this.next();
      return { t: "object", items: [] };
    }
    const first = this.parseTermInfix(true);
    if (this.isOp(":")) {
      this.next();
      const value = this.parseTermInfix(true);
      if (this.isOp("|")) {
        this.next();
        const body = this.parseBody("}");
        this.expectOp("}");
        return { t: "objcomp", key: first, value, body };
      }
      const items: [Term, Term][] = [[first, value]];
      while (this.isOp(",")) {
        this.next();
        if (this.isOp("}")) break;
        const k = this.parseTermInfix(false);
        this.expectOp(":");
        items.push([k, this.parseTermInfix(false)]);
      }
      this.expectOp("}");
      return { t: "object", items };
    }
    if (this.isOp("|")) {
      this.next();
      const body = this.parseBody("}");
      this.expectOp("}");
      return { t: "setcomp", term: first, body };
    }
    return { t: "set", items: [first, ...this.parseListTail("}")] };
  }

  private parsePostfix(term: Term): Term {
    for (;;) {
      if (this.isOp(".") && !this.tok.spaceBefore) {
        this.next();
        const name = this.expectIdent();
        term = appendRef(term, { t: "scalar", v: name });
      } else if (this.isOp("[") && !this.tok.spaceBefore) {
        this.next();
        const key = this.parseTermInfix(false);
        this.expectOp("]");
        term = appendRef(term, key);
      } else if (this.isOp("(") && !this.tok.spaceBefore && isCallable(term)) {
        this.next();
        const args: Term[] = [];
        if (!this.isOp(")")) {
          args.push(this.parseTermInfix(false));
          args.push(...this.parseListTail(")"));
        } else this.next();
        const op = refToName(term);
        if (op === "set" && args.length === 0) term = { t: "set", items: [] };
        else term = { t: "call", op, args };
      } else return term;
    }
  }

  private parseTemplate(tok: Token): Term {
    return { t: "template", parts: templateParts(tok, (src) => this.subTerm(src, tok)) };
  }

  /** Parses an embedded expression of a template string. Overridden by the module parser. */
  protected subTerm(_src: string, tok: Token): Term {
    return this.fail("template strings are not supported here", tok);
  }
}

function isCallable(t: Term): boolean {
  if (t.t === "var") return true;
  return t.t === "ref" && t.head.t === "var" && t.path.every((p) => p.t === "scalar" && typeof p.v === "string");
}

function refToName(t: Term): string {
  if (t.t === "var") return t.name;
  if (t.t !== "ref" || t.head.t !== "var") throw new Error("not a callable ref");
  return [t.head.name, ...t.path.map((p) => (p as { v: string }).v)].join(".");
}

function appendRef(term: Term, key: Term): Term {
  if (term.t === "ref") return { t: "ref", head: term.head, path: [...term.path, key] };
  return { t: "ref", head: term, path: [key] };
}

export function describe(t: Token): string {
  if (t.kind === "eof") return "eof";
  if (t.kind === "ident") return "ident";
  if (t.kind === "number") return "number";
  if (t.kind === "string" || t.kind === "rawstring") return "string";
  return t.text;
}
