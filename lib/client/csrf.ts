// Browser side of CSRF protection: the root layout puts the session's token in <meta name="csrf-token">;
// every mutating request echoes it in the x-csrf-token header, which the guard (proxy.ts) checks.
export const CSRF_HEADER = "x-csrf-token";

export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
}

/** Headers for a mutating fetch, merged with the caller's. */
export function withCsrf(headers: Record<string, string> = {}): Record<string, string> {
  return { ...headers, [CSRF_HEADER]: csrfToken() };
}
