// How the proxy hands the signed-in user to pages and route handlers: request headers it sets after
// deleting any the client sent, so handlers read identity without a second session lookup.
import type { SessionUser } from "./sessions.ts";

export const USER_HEADER = "x-hindsight-user";
export const CLIENT_HEADER = "x-hindsight-client";
export const NONCE_HEADER = "x-nonce";
/** The socket's peer address, set on every request by scripts/serve.ts (never trusted from elsewhere). */
export const PEER_HEADER = "x-hindsight-peer";
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
 * The client's address. scripts/serve.ts (what `npm start` runs) stamps every request with its socket
 * peer, which no client can forge; with HINDSIGHT_TRUSTED_PROXIES=n reverse proxies in front, the client
 * is the entry n places from the right of X-Forwarded-For (each proxy appends the address it saw).
 * Under a bare `next start`/`next dev` only X-Forwarded-For exists, which a client can write itself.
 */
export function clientAddress(
  peer: string | null | undefined,
  forwardedFor: string | null | undefined,
  env: Record<string, string | undefined> = process.env,
): string | null {
  const trusted = Math.max(0, Number(env.HINDSIGHT_TRUSTED_PROXIES) || 0);
  const hops = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const socket = env.HINDSIGHT_PEER_HEADER === "1" && peer ? peer.replace(/^::ffff:/, "") : null;
  if (socket) {
    if (trusted === 0) return socket.slice(0, 100);
    // The socket is the nearest proxy; walk back through the addresses the trusted proxies appended.
    const chain = [...hops, socket];
    return chain[Math.max(0, chain.length - 1 - trusted)].slice(0, 100);
  }
  if (hops.length === 0) return null;
  return hops[Math.max(0, hops.length - 1 - trusted)].slice(0, 100);
}
