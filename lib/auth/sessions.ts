// Signed-in sessions: a random 256-bit secret in an httpOnly, SameSite=Lax cookie; the database keeps
// only its SHA-256, so a database leak yields no usable session. Sessions end after an absolute lifetime
// or when idle, and on sign-out, password change or when an admin disables the user.
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";

export const SESSION_COOKIE = "hindsight_session";
export const CSRF_HEADER = "x-csrf-token";
export const CSRF_FIELD = "csrf";

export const SESSION_HOURS = Number(process.env.HINDSIGHT_SESSION_HOURS) || 12;
export const SESSION_IDLE_MINUTES = Number(process.env.HINDSIGHT_SESSION_IDLE_MINUTES) || 120;

export interface SessionUser {
  sessionId: string;
  userId: string;
  username: string;
  displayName: string | null;
  roles: string[];
  method: string;
  /** The token mutations must echo (header x-csrf-token or form field csrf). */
  csrf: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Derived from the cookie secret, so it needs no storage and dies with the session. */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash("sha256").update(`hindsight-csrf\0${sessionSecret}`).digest("base64url");
}

export async function createSession(
  pool: pg.Pool | pg.ClientBase,
  userId: string,
  opts: { method: "password" | "oidc"; origin?: string | null; userAgent?: string | null },
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString("base64url");
  const { rows } = await pool.query<{ expires_at: Date }>(
    `INSERT INTO user_sessions (id, token_hash, user_id, method, expires_at, origin, user_agent)
     VALUES (gen_random_uuid(), $1, $2, $3, now() + make_interval(hours => $4), $5, $6) RETURNING expires_at`,
    [sha256(secret), userId, opts.method, SESSION_HOURS, opts.origin ?? null, (opts.userAgent ?? "").slice(0, 400) || null],
  );
  await pool.query(`UPDATE users SET last_sign_in_at = now() WHERE id = $1`, [userId]);
  return { secret, expiresAt: rows[0].expires_at };
}

/** The live session for a cookie secret (touching its idle clock at most once a minute), or null. */
export async function lookupSession(pool: pg.Pool, secret: string | undefined | null): Promise<SessionUser | null> {
  if (!secret || secret.length > 100) return null;
  const { rows } = await pool.query(
    `WITH s AS (
       SELECT s.id, s.user_id, s.method, s.last_seen_at FROM user_sessions s
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
         AND s.last_seen_at > now() - make_interval(mins => $2)
     ), touched AS (
       UPDATE user_sessions SET last_seen_at = now()
       WHERE id = (SELECT id FROM s) AND last_seen_at < now() - interval '1 minute'
     )
     SELECT s.id AS session_id, u.id AS user_id, u.username, u.display_name, u.roles, s.method
     FROM s JOIN users u ON u.id = s.user_id WHERE u.disabled_at IS NULL`,
    [sha256(secret), SESSION_IDLE_MINUTES],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return {
    sessionId: r.session_id,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    method: r.method,
    csrf: csrfTokenFor(secret),
  };
}

export async function revokeSession(pool: pg.Pool, sessionId: string): Promise<void> {
  await pool.query(`UPDATE user_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
}

/** Ends every session of a user, optionally keeping one (the one that changed its own password). */
export async function revokeUserSessions(pool: pg.Pool | pg.ClientBase, userId: string, keepSessionId?: string): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
    [userId, keepSessionId ?? null],
  );
  return rowCount ?? 0;
}

/** Set-Cookie value. Secure when the app is served over https (or HINDSIGHT_SECURE_COOKIES=1). */
export function sessionCookie(secret: string, opts: { secure: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${SESSION_COOKIE}=${secret}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  parts.push(`Max-Age=${opts.maxAgeSeconds ?? SESSION_HOURS * 3600}`);
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookie(secure: boolean): string {
  return sessionCookie("", { secure, maxAgeSeconds: 0 });
}
