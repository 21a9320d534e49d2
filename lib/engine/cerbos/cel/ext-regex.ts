// cel-go ext.Regex: regex.replace, regex.extract (optional), regex.extractAll. RE2 syntax is
// close enough to JS for the patterns policies use; named groups `(?P<n>…)` are translated.
import { Optional, type Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { registerNamespace } from "./namespace.ts";

const cache = new Map<string, RegExp>();

function compile(pattern: string, global: boolean): RegExp {
  const key = (global ? "g" : "") + pattern;
  let re = cache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern.replace(/\(\?P</g, "(?<"), global ? "gu" : "u");
    } catch (err) {
      throw new CelRuntimeError(`given regex is invalid: ${(err as Error).message}`);
    }
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

function groupOf(m: RegExpExecArray): string {
  if (m.length > 2) throw new CelRuntimeError(`regular expression has more than one capturing group: ${m.length - 1}`);
  return m.length === 2 ? (m[1] ?? "") : m[0];
}

function replacement(repl: string): string {
  // RE2/cel-go uses \1 for groups; JS uses $1.
  return repl.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1");
}

export function registerRegex(env: Environment): void {
  const ns = registerNamespace(env, "regex");
  env
    .registerFunction(`${ns}.replace(string, string, string): string`, (_: unknown, s: string, p: string, r: string) =>
      s.replace(compile(p, true), replacement(r)),
    )
    .registerFunction(`${ns}.replace(string, string, string, int): string`, (_: unknown, s: string, p: string, r: string, n: bigint) => {
      if (n === 0n) return s;
      let count = 0n;
      return s.replace(compile(p, true), (...args: unknown[]) => {
        if (n > 0n && count >= n) return args[0] as string;
        count++;
        return (args[0] as string).replace(compile(p, false), replacement(r));
      });
    })
    .registerFunction(`${ns}.extract(string, string): optional<string>`, (_: unknown, s: string, p: string) => {
      const m = compile(p, false).exec(s);
      return m ? Optional.of(groupOf(m)) : Optional.none();
    })
    .registerFunction(`${ns}.extractAll(string, string): list<string>`, (_: unknown, s: string, p: string) => {
      const out: string[] = [];
      for (const m of s.matchAll(compile(p, true))) out.push(groupOf(m as RegExpExecArray));
      return out;
    });
}
