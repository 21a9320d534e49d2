// Small source rewrites for cel-go behaviour the library cannot be configured for:
// - timestamp getters that take a fixed UTC offset ("-05:00") as well as IANA names: the
//   library's own getters cannot be overridden, so calls go to `tz_`-prefixed twins (ext-time.ts);
// - backtick-quoted field names (`m.\`content-type\``, cel-go ≥ 0.23): rewritten to index access,
//   and `has(x.\`k\`)` to `"k" in x`;
// - `timestamp(...)` goes to `cerbos_timestamp(...)` (ext-time.ts): strict RFC 3339 parsing and
//   cel-go's error message, which the library's own conversion does not give.
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

const HAS_QUOTED_RE = /\bhas\(\s*([A-Za-z_][\w.]*)\.`([^`]+)`\s*\)/g;
const QUOTED_FIELD_RE = /\.`([^`]+)`/g;

const TIMESTAMP_CALL_RE = /(^|[^.\w])timestamp\s*\(/g;
export const TIMESTAMP_FUNCTION = "cerbos_timestamp";

function rewriteCode(code: string): string {
  let out = code.replace(GETTER_RE, (_m, name: string) => `.${TIME_GETTER_PREFIX}${name}(`);
  out = out.replace(TIMESTAMP_CALL_RE, (_m, before: string) => `${before}${TIMESTAMP_FUNCTION}(`);
  if (out.includes("`")) {
    out = out.replace(HAS_QUOTED_RE, (_m, target: string, field: string) => `(${JSON.stringify(field)} in ${target})`);
    out = out.replace(QUOTED_FIELD_RE, (_m, field: string) => `[${JSON.stringify(field)}]`);
  }
  return out;
}

/** Rewrites code outside string literals. */
export function rewriteSource(source: string): string {
  GETTER_RE.lastIndex = 0;
  const needsGetter = GETTER_RE.test(source);
  GETTER_RE.lastIndex = 0;
  if (!needsGetter && !source.includes("`") && !source.includes("timestamp")) return source;
  let out = "";
  let i = 0;
  let codeStart = 0;
  const flush = (end: number) => {
    out += rewriteCode(source.slice(codeStart, end));
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
