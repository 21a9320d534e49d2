// Glob matching as Cerbos does it (gobwas/glob with ':' as the separator). A lone "*" means "**"
// (matches across ':'); only keys containing '*' are treated as globs by Cerbos's index.

const cache = new Map<string, RegExp | null>();

export function isGlob(pattern: string): boolean {
  return pattern.includes("*");
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? "\\" + ch : ch;
}

function compileGlob(pattern: string): RegExp | null {
  const p = pattern === "*" ? "**" : pattern;
  let re = "";
  let inAlt = 0;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === "*") {
      if (p[i + 1] === "*") {
        re += ".*";
        i++;
      } else {
        re += "[^:]*";
      }
    } else if (ch === "?") {
      re += "[^:]";
    } else if (ch === "[") {
      const end = p.indexOf("]", i + 1);
      if (end < 0) return null;
      let body = p.slice(i + 1, end);
      if (body.startsWith("!")) body = "^" + body.slice(1);
      re += "[" + body.replace(/\\/g, "\\\\") + "]";
      i = end;
    } else if (ch === "{") {
      inAlt++;
      re += "(?:";
    } else if (ch === "}" && inAlt > 0) {
      inAlt--;
      re += ")";
    } else if (ch === "," && inAlt > 0) {
      re += "|";
    } else if (ch === "\\" && i + 1 < p.length) {
      re += escapeRegex(p[++i]!);
    } else {
      re += escapeRegex(ch);
    }
  }
  if (inAlt > 0) return null;
  try {
    return new RegExp("^" + re + "$", "s");
  } catch {
    return null;
  }
}

/** True when `value` matches `pattern`: literal equality, or glob match when the pattern has '*'. */
export function matchesGlob(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  if (!isGlob(pattern)) return false;
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compileGlob(pattern);
    cache.set(pattern, re);
  }
  return re !== null && re.test(value);
}
