// How the proxy hands the signed-in user to pages and route handlers: request headers it sets after
// deleting any the client sent, so handlers read identity without a second session lookup.
import type { SessionUser } from "./sessions.ts";

export const USER_HEADER = "x-hindsight-user";
export const CLIENT_HEADER = "x-hindsight-client";
export const NONCE_HEADER = "x-nonce";
/** Headers only the proxy may set; stripped from every incoming request. */
export const INTERNAL_HEADERS = [USER_HEADER, CLIENT_HEADER, NONCE_HEADER];

export function encodeUser(user: SessionUser): string {
  return Buffer.from(JSON.stringify(user)).toString("base64url");
}

export function decodeUser(value: string | null | undefined): SessionUser | null {
  if (!value) return null;
  try {
    return JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as SessionUser;
  } catch {
    return null;
  }
}

/**
 * The client's address. Next's server appends the socket peer to X-Forwarded-For, so the last entry is
 * the one nobody could forge; with HINDSIGHT_TRUSTED_PROXIES=n (n reverse proxies in front), the entry
 * n places before it is the client as the outermost trusted proxy saw it.
 */
export function clientAddress(forwardedFor: string | null | undefined): string | null {
  const hops = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (hops.length === 0) return null;
  const trusted = Math.max(0, Number(process.env.HINDSIGHT_TRUSTED_PROXIES) || 0);
  return hops[Math.max(0, hops.length - 1 - trusted)].slice(0, 100);
}
