// Template strings ($"…{expr}…" and $`…`): literal text and embedded expressions. `\{` escapes a brace.
import type { Term } from "../ast.ts";
import type { Token } from "../lexer.ts";

export function templateParts(tok: Token, subTerm: (src: string) => Term): (string | Term)[] {
  const src = tok.value!;
  const raw = tok.text.startsWith("$`");
  const parts: (string | Term)[] = [];
  let lit = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\" && (!raw || src[i + 1] === "{" || src[i + 1] === "}")) {
      const n = src[i + 1];
      if (n === "{" || n === "}") lit += n;
      else lit += JSON.parse(`"\\${n}"`) as string;
      i++;
    } else if (c === "{") {
      let depth = 1;
      let j = i + 1;
      for (; j < src.length && depth > 0; j++) {
        if (src[j] === "{") depth++;
        else if (src[j] === "}") depth--;
      }
      if (lit) parts.push(lit);
      lit = "";
      parts.push(subTerm(src.slice(i + 1, j - 1)));
      i = j - 1;
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

