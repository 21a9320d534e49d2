// Local-account sign-in: POST JSON {username, password} → 200 {user} with the session cookie, or 401
// with one message for any wrong name or password (no user enumeration). Failed attempts are rate
// limited per client address and per user name, and every attempt is in the audit trail.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { jsonResponse, isDatabaseUnavailable } from "@/lib/ingest/http";
import { auditRequest, originOf } from "@/lib/auth/current";
import { verifyPassword } from "@/lib/auth/passwords";
import { findForSignIn } from "@/lib/auth/users";
import { createSession, sessionCookie } from "@/lib/auth/sessions";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { signInLimiter } from "@/lib/auth/rate-limit";
import { isSecureRequest } from "@/lib/auth/secure";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const body = z.object({
  username: z.string({ message: "must be a string" }).min(1, "is required").max(100, "is too long"),
  password: z.string({ message: "must be a string" }).min(1, "is required").max(1024, "is too long"),
});

export async function POST(req: Request): Promise<Response> {
  const pool = getPool();
  try {
    const { username, password } = await readJsonBody(req, body);
    const origin = originOf(req) ?? "unknown";
    const wait = signInLimiter.blockedFor([`ip:${origin}`, `user:${username.toLowerCase()}`]);
    if (wait > 0) {
      await auditRequest(pool, req, { action: "auth.sign_in_throttled", target: username, details: { method: "password" } });
      return jsonResponse(429, { error: `too many failed sign-ins; try again in ${wait} s` }, { "retry-after": String(wait) });
    }
    const user = await findForSignIn(pool, username);
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok) {
      signInLimiter.fail([`ip:${origin}`, `user:${username.toLowerCase()}`]);
      await auditRequest(pool, req, { action: "auth.sign_in_failed", target: username, details: { method: "password" } });
      return jsonResponse(401, { error: "wrong user name or password" });
    }
    signInLimiter.succeed([`user:${username.toLowerCase()}`]);
    const session = await createSession(pool, user.id, { method: "password", origin: originOf(req), userAgent: req.headers.get("user-agent") });
    await pool.query(
      `INSERT INTO audit_events (actor, action, target, origin, details) VALUES ($1, 'auth.sign_in', $2, $3, $4)`,
      [user.username, user.id, originOf(req), JSON.stringify({ method: "password", userAgent: req.headers.get("user-agent")?.slice(0, 200) })],
    );
    return jsonResponse(200, { user: { id: user.id, username: user.username } }, { "set-cookie": sessionCookie(session.secret, { secure: isSecureRequest(req) }) });
  } catch (err) {
    if (err instanceof BodyError) return jsonResponse(err.status, { error: err.message });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "the database is unavailable; try again shortly" }, { "retry-after": "5" });
    throw err;
  }
}
