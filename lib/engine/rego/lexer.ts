// Rego tokens. Newlines matter in Rego (they separate body expressions), so each token records
// whether a newline came before it instead of emitting newline tokens.
import { RegoError } from "./errors.ts";

export type TokenKind = "ident" | "string" | "rawstring" | "template" | "number" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value for strings. */
  value?: string;
  line: number;
  col: number;
  /** A newline separates this token from the previous one. */
  nlBefore: boolean;
  /** Whitespace separates this token from the previous one. */
  spaceBefore: boolean;
  /** Source offsets [start, end) for quoting expressions in explanations. */
  start: number;
  end: number;
}

const OPERATORS = [":=", "==", "!=", "<=", ">=", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|"];

export function tokenize(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let nl = true;
  let space = true;
  const fail = (msg: string): never => {
    throw new RegoError("rego_parse_error", `${file}:${line}: ${msg}`);
  };
  while (pos < src.length) {
    const c = src[pos];
    if (c === "\n") {
      pos++;
      line++;
      lineStart = pos;
      nl = true;
      space = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      pos++;
      space = true;
      continue;
    }
    if (c === "#") {
      while (pos < src.length && src[pos] !== "\n") pos++;
      continue;
    }
    const col = pos - lineStart + 1;
    const push = (kind: TokenKind, text: string, value?: string) => {
      tokens.push({ kind, text, value, line, col, nlBefore: nl, spaceBefore: space, start: pos, end: pos + text.length });
      nl = false;
      space = false;
    };
    if (/[A-Za-z_]/.test(c)) {
      let end = pos + 1;
      while (end < src.length && /[A-Za-z0-9_]/.test(src[end])) end++;
      push("ident", src.slice(pos, end));
      pos = end;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(src.slice(pos, pos + 400)) ?? /^[0-9]+/.exec(src.slice(pos));
      push("number", m![0]);
      pos += m![0].length;
      continue;
    }
    if (c === "$" && src[pos + 1] === '"') {
      // Template string: `{…}` holds expressions that may contain strings and nested templates.
      const end = scanTemplate(src, pos + 1);
      if (end < 0) fail("non-terminated string");
      push("template", src.slice(pos, end + 1), src.slice(pos + 2, end));
      pos = end + 1;
      continue;
    }
    if (c === '"') {
      let end = pos + 1;
      while (end < src.length && src[end] !== '"') {
        if (src[end] === "\\") end++;
        if (src[end] === "\n") fail("non-terminated string");
        end++;
      }
      if (end >= src.length) fail("non-terminated string");
      const body = src.slice(pos, end + 1);
      let value: string;
      try {
        value = JSON.parse(body.replace(/\t/g, "\\t")) as string;
      } catch {
        value = fail(`invalid string literal ${body}`);
      }
      push("string", body, value);
      pos = end + 1;
      continue;
    }
    if (c === "`" || (c === "$" && src[pos + 1] === "`")) {
      const isTemplate = c === "$";
      const open = isTemplate ? pos + 1 : pos;
      const end = isTemplate ? scanTemplate(src, open, "`") : src.indexOf("`", open + 1);
      if (end < 0) fail("non-terminated raw string");
      const value = src.slice(open + 1, end);
      push(isTemplate ? "template" : "rawstring", src.slice(pos, end + 1), value);
      for (const ch of value) if (ch === "\n") line++;
      pos = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, pos));
    if (!op) fail(`illegal token '${c}'`);
    push("op", op!);
    pos += op!.length;
  }
  tokens.push({ kind: "eof", text: "", line, col: pos - lineStart + 1, nlBefore: true, spaceBefore: true, start: pos, end: pos });
  return tokens;
}

/** Index of the closing quote of a template string opened at `open` (a `"`), or -1. */
function scanTemplate(src: string, open: number, close = '"'): number {
  let depth = 0;
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (depth === 0) {
      if (c === close) return i;
      if (c === "{") depth++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === '"' || (c === "$" && src[i + 1] === '"')) {
      const end = scanTemplate(src, c === "$" ? i + 1 : i - 0);
      if (end < 0) return -1;
      i = end;
    } else if (c === "$" && src[i + 1] === "`") {
      const end = scanTemplate(src, i + 1, "`");
      if (end < 0) return -1;
      i = end;
    } else if (c === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) return -1;
      i = end;
    }
  }
  return -1;
}
