// First-run set-up: while no user exists, /setup creates the first admin, but only for someone who
// holds the set-up code that `npm start` prints on the server's console (or HINDSIGHT_SETUP_CODE).
// That keeps a freshly started server on a shared network from being claimed by whoever finds it first.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { ADVISORY_LOCKS } from "../db/locks.ts";
import { createLocalUser, UserError, type UserInfo } from "./users.ts";

export function newSetupCode(): string {
  return randomBytes(9).toString("base64url");
}

function codeMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function createFirstAdmin(
  pool: pg.Pool,
  input: { code: unknown; username: string; password: string; roles: unknown; displayName?: string | null; origin?: string | null },
): Promise<UserInfo> {
  const expected = process.env.HINDSIGHT_SETUP_CODE;
  if (!expected) {
    throw new UserError("first-run set-up is not enabled on this server (start it with `npm start`, or create an admin with `hindsight users add`)", 403);
  }
  if (typeof input.code !== "string" || !codeMatches(input.code, expected)) {
    throw new UserError("wrong set-up code (it is printed on the server console at start)", 403);
  }
  const roles = Array.isArray(input.roles) ? [...new Set(["admin", ...input.roles])] : ["admin"];
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCKS.firstUser]);
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
    if (rows[0].n > 0) throw new UserError("set-up is already done: sign in instead", 409);
    const user = await createLocalUser(client, { ...input, roles, by: "setup" });
    await client.query(
      `INSERT INTO audit_events (actor, action, target, origin, details) VALUES ($1, 'user.create', $2, $3, $4)`,
      [user.username, user.id, input.origin ?? null, JSON.stringify({ roles: user.roles, via: "first-run set-up" })],
    );
    await client.query("COMMIT");
    return user;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
