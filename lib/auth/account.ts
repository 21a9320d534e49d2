// What a signed-in user does with their own account: see their active sessions, change their password.
// (Admins change other people's accounts through users.ts.)
import type pg from "pg";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { revokeUserSessions, SESSION_IDLE_MINUTES } from "./sessions.ts";
import { UserError } from "./users.ts";

export interface SessionView {
  id: string;
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  origin: string | null;
  userAgent: string | null;
  /** The session this request came with. */
  current: boolean;
}

/** Sessions that would still be accepted now (not revoked, not expired, not idle too long), newest first. */
export async function listActiveSessions(pool: pg.Pool, userId: string, currentSessionId?: string): Promise<SessionView[]> {
  const { rows } = await pool.query(
    `SELECT id, method, created_at, last_seen_at, expires_at, origin, user_agent FROM user_sessions
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)
     ORDER BY created_at DESC`,
    [userId, SESSION_IDLE_MINUTES],
  );
  return rows.map((r) => ({
    id: r.id,
    method: r.method,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    origin: r.origin ?? null,
    userAgent: r.user_agent ?? null,
    current: r.id === currentSessionId,
  }));
}

/**
 * Checks the current password, applies the password rules, stores the new hash and ends every other
 * session of the user (someone who learnt the old password is signed out), keeping the one in use.
 * Refused with 409 for accounts that sign in through OpenID Connect (they have no password here).
 */
export async function changeOwnPassword(
  pool: pg.Pool,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
): Promise<{ username: string; otherSessionsEnded: number }> {
  const { rows } = await pool.query<{ username: string; password_hash: string | null; oidc_issuer: string | null }>(
    `SELECT username, password_hash, oidc_issuer FROM users WHERE id = $1 AND disabled_at IS NULL`,
    [input.userId],
  );
  const user = rows[0];
  if (!user) throw new UserError("your account no longer exists or is disabled", 404);
  if (!user.password_hash) {
    throw new UserError(`your account signs in through OpenID Connect${user.oidc_issuer ? ` (${user.oidc_issuer})` : ""}; change the password there`, 409);
  }
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) throw new UserError("the current password is wrong", 403);
  const problem = passwordProblem(input.newPassword, user.username);
  if (problem) throw new UserError(`new ${problem}`);
  if (input.newPassword === input.currentPassword) throw new UserError("the new password is the same as the current one");
  const newHash = await hashPassword(input.newPassword);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Only if nobody changed it meanwhile (another session, an admin reset): the check above was against this hash.
    const updated = await client.query(`UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, [newHash, input.userId, user.password_hash]);
    if (updated.rowCount !== 1) throw new UserError("the password was changed meanwhile; sign in again and retry", 409);
    const otherSessionsEnded = await revokeUserSessions(client, input.userId, input.sessionId);
    await client.query("COMMIT");
    return { username: user.username, otherSessionsEnded };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
