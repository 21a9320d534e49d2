// Browser side of the forms (sign-in, set-up, admin, account): one JSON request with the CSRF header, answered as
// either the body or the server's error message (every API here answers errors as {error}).
import { withCsrf } from "@/lib/client/csrf";

export type SendResult<T> = { ok: true; data: T } | { ok: false; error: string };

export async function sendJson<T = unknown>(method: "POST" | "PATCH" | "PUT", url: string, body?: unknown): Promise<SendResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: withCsrf(body === undefined ? {} : { "content-type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: "the server cannot be reached; try again" };
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) return { ok: false, error: data?.error ?? `the request failed (HTTP ${res.status})` };
  return { ok: true, data: data as T };
}
