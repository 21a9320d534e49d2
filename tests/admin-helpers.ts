// Shared by the tests/admin-*.test.ts files: acting users and requests as the proxy hands them to route
// handlers (user and client headers set), and reading back audit events.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { encodeUser, CLIENT_HEADER, USER_HEADER } from "../lib/auth/context.ts";
import { createSession } from "../lib/auth/sessions.ts";
import { createLocalUser, type UserInfo } from "../lib/auth/users.ts";
import type { SessionUser } from "../lib/auth/sessions.ts";

export const PASSWORD = "correct horse battery staple";
export const CLIENT = "203.0.113.7";

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface Actor {
  user: UserInfo;
  session: SessionUser;
}

/** A local user with a real session row (so session revocation can be observed). */
export async function makeActor(pool: pg.Pool, roles: string[], prefix = "admin"): Promise<Actor> {
  const user = await createLocalUser(pool, { username: uniqueName(prefix), password: PASSWORD, roles, by: "test" });
  await createSession(pool, user.id, { method: "password" });
  const { rows } = await pool.query(`SELECT id FROM user_sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [user.id]);
  return {
    user,
    session: { sessionId: rows[0].id, userId: user.id, username: user.username, displayName: null, roles: user.roles, method: "password", csrf: "test" },
  };
}

export function request(actor: Actor | null, method: string, path: string, body?: unknown): Request {
  const headers: Record<string, string> = { "user-agent": "admin-test/1.0", [CLIENT_HEADER]: CLIENT };
  if (actor) headers[USER_HEADER] = encodeUser(actor.session);
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

export interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  origin: string | null;
  details: Record<string, unknown>;
}

/** Audit events about one target, oldest first. */
export async function auditFor(pool: pg.Pool, target: string): Promise<AuditRow[]> {
  const { rows } = await pool.query(`SELECT actor, action, target, origin, details FROM audit_events WHERE target = $1 ORDER BY id`, [target]);
  return rows;
}

export async function activeSessions(pool: pg.Pool, userId: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  return rows[0].n;
}
