// A small line-based YAML highlighter for policy files: keys, strings, comments, numbers/booleans and
// CEL expressions (values of `expr:` keys, inline or as block scalars). It never changes the text: the
// tokens of a line concatenate back to the line, so copying from the view copies the file.

export type TokenKind = "key" | "string" | "comment" | "cel" | "literal" | "punct" | "text";
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEY = /^(\s*(?:-\s+)*)((?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],:][^#:]*?))(\s*:)(?=\s|$)/;
const LITERAL = /^(?:true|false|null|~|-?\d+(?:\.\d+)?)$/i;
const CEL_KEYS = new Set(["expr", "ruleActivated", "conditionNotMet"]);
/** Keys whose children map names to CEL expressions (variables). */
const CEL_MAP_PARENTS = new Set(["local"]);

/** Splits off a trailing comment (a `#` after whitespace, outside quotes). */
function splitComment(s: string): [string, string] {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(s[i - 1]!))) return [s.slice(0, i), s.slice(i)];
  }
  return [s, ""];
}

/** Tokens of a scalar value (quoted strings, literals, anything else as text). */
function valueTokens(value: string, cel: boolean): Token[] {
  if (value === "") return [];
  const lead = /^\s*/.exec(value)![0];
  const body = value.slice(lead.length);
  const out: Token[] = lead ? [{ kind: "text", text: lead }] : [];
  const trimmed = body.trimEnd();
  const tail = body.slice(trimmed.length);
  const quoted = /^(["']).*\1$/.test(trimmed) && trimmed.length >= 2;
  if (cel && quoted) {
    // A quoted expression: the quotes are YAML, the inside is CEL.
    out.push({ kind: "punct", text: trimmed[0]! }, ...celTokens(trimmed.slice(1, -1)), { kind: "punct", text: trimmed[trimmed.length - 1]! });
  } else if (cel) out.push(...celTokens(trimmed));
  else if (quoted) out.push({ kind: "string", text: trimmed });
  else if (LITERAL.test(trimmed)) out.push({ kind: "literal", text: trimmed });
  else if (/^[|>][+-]?\d*$/.test(trimmed)) out.push({ kind: "punct", text: trimmed });
  else if (trimmed) out.push({ kind: "text", text: trimmed });
  if (tail) out.push({ kind: "text", text: tail });
  return out;
}

/** A CEL expression: string literals inside it stand out; the rest is marked as CEL. */
function celTokens(expr: string): Token[] {
  const out: Token[] = [];
  const re = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
  let last = 0;
  for (const m of expr.matchAll(re)) {
    if (m.index! > last) out.push({ kind: "cel", text: expr.slice(last, m.index) });
    out.push({ kind: "string", text: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < expr.length) out.push({ kind: "cel", text: expr.slice(last) });
  return out;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

export function highlightYaml(text: string): Token[][] {
  const lines = text.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  // Inside a block scalar (`key: |`): lines indented deeper than the key belong to it.
  let block: { indent: number; cel: boolean } | null = null;
  // Open mapping keys with their indentation, to know a key's parent (variables are CEL by position).
  const parents: { indent: number; key: string }[] = [];
  return lines.map((line): Token[] => {
    if (block) {
      if (line.trim() === "" || indentOf(line) > block.indent) {
        return block.cel ? celTokens(line) : line ? [{ kind: "string", text: line }] : [];
      }
      block = null;
    }
    const [code, comment] = splitComment(line);
    const tokens: Token[] = [];
    const m = KEY.exec(code);
    if (m) {
      const [, lead, key, colon] = m;
      const rest = code.slice(m[0].length);
      const keyName = key!.replace(/^["']|["']$/g, "");
      const indent = lead!.length;
      while (parents.length && parents[parents.length - 1]!.indent >= indent) parents.pop();
      const parent = parents[parents.length - 1]?.key;
      const grandparent = parents[parents.length - 2]?.key;
      const cel = CEL_KEYS.has(keyName) || (parent !== undefined && (CEL_MAP_PARENTS.has(parent) || (parent === "definitions" && grandparent === "exportVariables")));
      parents.push({ indent, key: keyName });
      if (lead) tokens.push(...dashTokens(lead));
      tokens.push({ kind: "key", text: key! }, { kind: "punct", text: colon! });
      if (/^\s*[|>][+-]?\d*\s*$/.test(rest)) block = { indent: indentOf(line), cel };
      tokens.push(...valueTokens(rest, cel && !block));
    } else {
      const dash = /^(\s*(?:-\s+)+|\s*-$)/.exec(code);
      if (dash) tokens.push(...dashTokens(dash[0]));
      tokens.push(...valueTokens(code.slice(dash ? dash[0].length : 0), false));
    }
    if (comment) tokens.push({ kind: "comment", text: comment });
    return tokens;
  });
}

function dashTokens(lead: string): Token[] {
  return [{ kind: "punct", text: lead }];
}
