// The Content-Security-Policy for pages: scripts only from this origin with this request's nonce
// ('strict-dynamic' lets Next's nonce'd loader pull its chunks), no plugins, no framing, no <base>
// rewriting, forms and fetches to this origin only. Styles allow inline attributes: the charts
// (recharts) position SVG with style attributes, which carry no script.
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
