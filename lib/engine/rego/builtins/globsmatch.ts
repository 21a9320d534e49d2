// regex.globs_match: do two glob-like patterns (literals, `.`, `[a-z]` sets, `*`, `+`, `\` escapes)
// match a common non-empty string? Each pattern is a linear automaton; we search their product.
import { BuiltinError } from "../errors.ts";
import { register, str } from "./registry.ts";

type Ranges = [number, number][] | "any";
interface Item {
  chars: Ranges;
  repeat: boolean;
}

function parse(p: string): Item[] {
  const items: Item[] = [];
  const cps = [...p];
  const invalid = (pos: number, what: string): never => {
    throw new BuiltinError(`input:${p}, pos:${pos}, ${what}: the input provided is invalid`);
  };
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    let chars: Ranges;
    if (c === "\\") {
      if (i + 1 >= cps.length) invalid(i + 1, "escape at end of input");
      const x = cps[++i].codePointAt(0)!;
      chars = [[x, x]];
    } else if (c === ".") chars = "any";
    else if (c === "[") {
      const ranges: [number, number][] = [];
      i++;
      while (i < cps.length && cps[i] !== "]") {
        let lo = cps[i];
        if (lo === "\\") lo = cps[++i];
        let hi = lo;
        if (cps[i + 1] === "-" && cps[i + 2] !== undefined && cps[i + 2] !== "]") {
          hi = cps[i + 2] === "\\" ? cps[i + 3] : cps[i + 2];
          i += cps[i + 2] === "\\" ? 3 : 2;
        }
        ranges.push([lo.codePointAt(0)!, hi.codePointAt(0)!]);
        i++;
      }
      if (i >= cps.length) invalid(i, "set-open '[' with no closing ']'");
      chars = ranges;
    } else if (c === "]") return invalid(i + 1, "set-close ']' with no preceding '['");
    else if (c === "*" || c === "+") {
      const prev = items[items.length - 1];
      if (!prev) return invalid(i + 1, `quantifier '${c}' with nothing to repeat`);
      if (c === "+") items.push({ chars: prev.chars, repeat: true });
      else prev.repeat = true;
      continue;
    } else {
      const x = c.codePointAt(0)!;
      chars = [[x, x]];
    }
    items.push({ chars, repeat: false });
  }
  return items;
}

function overlaps(a: Ranges, b: Ranges): boolean {
  if (a === "any" || b === "any") return a === "any" ? b === "any" || b.length > 0 : a.length > 0;
  return a.some(([l1, h1]) => b.some(([l2, h2]) => l1 <= h2 && l2 <= h1));
}

function intersects(a: Item[], b: Item[]): boolean {
  const seen = new Set<string>();
  const stack: [number, number, boolean][] = [[0, 0, false]];
  while (stack.length) {
    const [i, j, consumed] = stack.pop()!;
    const key = `${i},${j},${consumed}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length && consumed) return true;
    // Skipping a repeated item consumes nothing.
    if (i < a.length && a[i].repeat) stack.push([i + 1, j, consumed]);
    if (j < b.length && b[j].repeat) stack.push([i, j + 1, consumed]);
    if (i < a.length && j < b.length && overlaps(a[i].chars, b[j].chars)) {
      stack.push([a[i].repeat ? i : i + 1, b[j].repeat ? j : j + 1, true]);
      if (a[i].repeat && !b[j].repeat) stack.push([i, j + 1, true]);
      if (b[j].repeat && !a[i].repeat) stack.push([i + 1, j, true]);
      if (a[i].repeat && b[j].repeat) stack.push([i + 1, j + 1, true]);
    }
  }
  return false;
}

register("regex.globs_match", 2, (args) => intersects(parse(str("regex.globs_match", args, 0)), parse(str("regex.globs_match", args, 1))));
