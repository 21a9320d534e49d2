// The state of one sign-in between leaving for the provider and coming back: state, nonce, PKCE verifier,
// the redirect URI used and where to go afterwards. It travels in a short-lived cookie, encrypted (JWE,
// dir + A256GCM) so the browser can neither read the verifier nor alter anything, scoped to the OIDC routes
// and cleared once used. The key is derived from HINDSIGHT_SESSION_SECRET when set (needed when several
// instances share the traffic, or so a restart does not break sign-ins under way); otherwise it is random
// per process.
import { hkdfSync, randomBytes } from "node:crypto";
import { EncryptJWT, errors as joseErrors, jwtDecrypt } from "jose";
import type { Env } from "./oidc-config.ts";

export const FLOW_COOKIE = "hindsight_oidc_flow";
export const FLOW_COOKIE_PATH = "/api/auth/oidc";
export const FLOW_MAX_AGE_SECONDS = 10 * 60;

export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** The configured issuer the flow started with (a changed configuration invalidates flows under way). */
  issuer: string;
  /** Same-site path to go to after sign-in. */
  next: string;
}

export class FlowCookieError extends Error {}

// On globalThis, not in module scope: Next bundles each route handler separately, and the start and
// callback routes must see the same per-process key.
const shared = globalThis as unknown as { hindsightOidcFlowKeys?: { random: Uint8Array; derived: Map<string, Uint8Array> } };
shared.hindsightOidcFlowKeys ??= { random: new Uint8Array(randomBytes(32)), derived: new Map() };
const { derived } = shared.hindsightOidcFlowKeys;

/** The cookie key: HKDF of HINDSIGHT_SESSION_SECRET (at least 32 characters), or a random per-process key. */
export function flowKey(env: Env = process.env): Uint8Array {
  const secret = env.HINDSIGHT_SESSION_SECRET;
  if (secret) {
    if (secret.length < 32) throw new FlowCookieError("HINDSIGHT_SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)");
    let key = derived.get(secret);
    if (!key) {
      key = new Uint8Array(hkdfSync("sha256", secret, "hindsight", "oidc flow cookie v1", 32));
      derived.set(secret, key);
    }
    return key;
  }
  return shared.hindsightOidcFlowKeys!.random;
}

export async function sealFlow(flow: OidcFlow, key: Uint8Array = flowKey()): Promise<string> {
  return new EncryptJWT({ ...flow })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(`${FLOW_MAX_AGE_SECONDS}s`)
    .encrypt(key);
}

/** The flow in a cookie value; FlowCookieError with a user-facing reason when expired or not ours. */
export async function openFlow(value: string, key: Uint8Array = flowKey()): Promise<OidcFlow> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtDecrypt(value, key, { clockTolerance: 5 }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new FlowCookieError("the sign-in took longer than 10 minutes; please sign in again");
    throw new FlowCookieError("the sign-in could not be verified (its cookie was altered, or the server restarted); please sign in again");
  }
  const fields = ["state", "nonce", "codeVerifier", "redirectUri", "issuer", "next"] as const;
  for (const f of fields) {
    if (typeof payload[f] !== "string") throw new FlowCookieError("the sign-in could not be verified (incomplete state); please sign in again");
  }
  return Object.fromEntries(fields.map((f) => [f, payload[f] as string])) as unknown as OidcFlow;
}

export function flowCookie(value: string, secure: boolean): string {
  const parts = [`${FLOW_COOKIE}=${value}`, `Path=${FLOW_COOKIE_PATH}`, "HttpOnly", "SameSite=Lax", `Max-Age=${FLOW_MAX_AGE_SECONDS}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearFlowCookie(secure: boolean): string {
  const parts = [`${FLOW_COOKIE}=`, `Path=${FLOW_COOKIE_PATH}`, "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** The flow cookie's value from a Cookie header (last one wins if a browser sends several). */
export function readFlowCookie(cookieHeader: string | null): string | null {
  let found: string | null = null;
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === FLOW_COOKIE) found = part.slice(eq + 1).trim() || null;
  }
  return found;
}
