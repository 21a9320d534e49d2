// Where to go after signing in: only a path on this site. Anything else (absolute or protocol-relative
// URLs, backslashes that browsers read as slashes, control characters browsers strip before parsing —
// "/\t/evil.example" becomes "//evil.example") falls back to the home page, so a crafted sign-in link
// cannot bounce a freshly signed-in user to another site. Pure: used by the login form and the OIDC callback.
const BASE = "http://hindsight.invalid";

export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  return url.pathname + url.search + url.hash;
}
