// Small source rewrites for cel-go behaviour the library cannot be configured for: timestamp
// getters that take a fixed UTC offset ("-05:00") as well as IANA names. The library's own
// getters cannot be overridden, so calls are routed to `tz_`-prefixed twins (see ext-time.ts).
const TIME_GETTERS = [
  "getFullYear",
  "getMonth",
  "getDayOfYear",
  "getDayOfMonth",
  "getDate",
  "getDayOfWeek",
  "getHours",
  "getMinutes",
  "getSeconds",
  "getMilliseconds",
];
export const TIME_GETTER_PREFIX = "tz_";
const GETTER_RE = new RegExp(`\\.(${TIME_GETTERS.join("|")})\\s*\\(`, "g");

export { TIME_GETTERS };

/** Rewrites code outside string literals. */
export function rewriteSource(source: string): string {
  if (!GETTER_RE.test(source)) return source;
  GETTER_RE.lastIndex = 0;
  let out = "";
  let i = 0;
  let codeStart = 0;
  const flush = (end: number) => {
    out += source.slice(codeStart, end).replace(GETTER_RE, (_m, name: string) => `.${TIME_GETTER_PREFIX}${name}(`);
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '"' || ch === "'") {
      flush(i);
      const triple = source.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      let j = i + quote.length;
      while (j < source.length && !source.startsWith(quote, j)) j += source[j] === "\\" ? 2 : 1;
      j = Math.min(source.length, j + quote.length);
      out += source.slice(i, j);
      i = j;
      codeStart = i;
    } else if (ch === "/" && source[i + 1] === "/") {
      const nl = source.indexOf("\n", i);
      const j = nl < 0 ? source.length : nl;
      flush(i);
      out += source.slice(i, j);
      i = j;
      codeStart = i;
    } else {
      i++;
    }
  }
  flush(source.length);
  return out;
}
