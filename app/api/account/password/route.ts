// Changes the signed-in user's own password: POST JSON {currentPassword, newPassword} → 200
// {otherSessionsEnded}. Ends the user's other sessions; the current one stays. Wrong current passwords
// are rate limited like sign-ins (a stolen session must not become a password oracle). Audited as
// user.change_password, a wrong current password as user.change_password_failed (never a password).
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { changeOwnPassword } from "@/lib/auth/account";
import { auditRequest, userOf } from "@/lib/auth/current";
import { signInLimiter } from "@/lib/auth/rate-limit";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { UserError } from "@/lib/auth/users";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const body = z.strictObject({
  currentPassword: z.string({ message: "must be a string" }).min(1, "is required").max(1024, "is too long"),
  newPassword: z.string({ message: "must be a string" }).min(1, "is required").max(1024, "is too long"),
});

export async function POST(req: Request): Promise<Response> {
  const user = userOf(req);
  if (!user) return jsonResponse(401, { error: "sign in first (no valid session)" });
  const pool = getPool();
  const key = `password-change:${user.userId}`;
  try {
    const wait = signInLimiter.blockedFor([key]);
    if (wait > 0) return jsonResponse(429, { error: `too many wrong current passwords; try again in ${wait} s` }, { "retry-after": String(wait) });
    const input = await readJsonBody(req, body);
    const result = await changeOwnPassword(pool, { userId: user.userId, sessionId: user.sessionId, ...input });
    signInLimiter.succeed([key]);
    await auditRequest(pool, req, {
      action: "user.change_password",
      target: user.userId,
      details: { username: result.username, otherSessionsEnded: result.otherSessionsEnded },
    });
    return jsonResponse(200, { otherSessionsEnded: result.otherSessionsEnded });
  } catch (err) {
    if (err instanceof UserError) {
      if (err.status === 403) {
        signInLimiter.fail([key]);
        await auditRequest(pool, req, { action: "user.change_password_failed", target: user.userId, details: { username: user.username, reason: err.message } });
      }
      return jsonResponse(err.status, { error: err.message });
    }
    if (err instanceof BodyError) return jsonResponse(err.status, { error: err.message });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "the database is unavailable; try again shortly" }, { "retry-after": "5" });
    throw err;
  }
}
