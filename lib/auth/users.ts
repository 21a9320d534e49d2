// User accounts: local (argon2id password) or OpenID Connect (issuer + subject). Every change is made by
// someone (`by`), which the callers record in the audit trail.
import type pg from "pg";
import { hashPassword, passwordProblem } from "./passwords.ts";
import { isRole, ROLES, type Role } from "./roles.ts";
import { revokeUserSessions } from "./sessions.ts";

export interface UserInfo {
  id: string;
  username: string;
  displayName: string | null;
  roles: Role[];
  local: boolean;
  oidcIssuer: string | null;
  createdAt: Date;
  createdBy: string | null;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function usernameProblem(username: unknown): string | null {
  if (typeof username !== "string" || username.length < 1 || username.length > 100) return "user name must be 1 to 100 characters";
  if (!/^[\w.@+-]+$/.test(username)) return "user name may contain letters, digits and . _ @ + - only";
  return null;
}

export function parseRoles(roles: unknown): Role[] {
  if (!Array.isArray(roles)) throw new UserError(`roles must be a list of: ${ROLES.join(", ")}`);
  const bad = roles.filter((r) => typeof r !== "string" || !isRole(r));
  if (bad.length) throw new UserError(`unknown role ${JSON.stringify(bad[0])} (roles are: ${ROLES.join(", ")})`);
  return [...new Set(roles as Role[])].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
}

const COLUMNS = `id, username, display_name, roles, password_hash IS NOT NULL AS local, oidc_issuer, created_at, created_by, disabled_at, last_sign_in_at`;

function toInfo(r: Record<string, unknown>): UserInfo {
  return {
    id: r.id as string,
    username: r.username as string,
    displayName: (r.display_name as string | null) ?? null,
    roles: (r.roles as string[]).filter(isRole),
    local: r.local as boolean,
    oidcIssuer: (r.oidc_issuer as string | null) ?? null,
    createdAt: r.created_at as Date,
    createdBy: (r.created_by as string | null) ?? null,
    disabledAt: (r.disabled_at as Date | null) ?? null,
    lastSignInAt: (r.last_sign_in_at as Date | null) ?? null,
  };
}

export async function countUsers(pool: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
  return rows[0].n;
}

export async function listUsers(pool: pg.Pool): Promise<UserInfo[]> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM users ORDER BY username`);
  return rows.map(toInfo);
}

export async function getUser(pool: pg.Pool, id: string): Promise<UserInfo | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toInfo(rows[0]) : null;
}

export async function createLocalUser(
  pool: pg.Pool | pg.ClientBase,
  input: { username: string; password: string; roles: unknown; displayName?: string | null; by: string },
): Promise<UserInfo> {
  const nameProblem = usernameProblem(input.username);
  if (nameProblem) throw new UserError(nameProblem);
  const roles = parseRoles(input.roles);
  const pwProblem = passwordProblem(input.password, input.username);
  if (pwProblem) throw new UserError(pwProblem);
  const passwordHash = await hashPassword(input.password);
  try {
    const { rows } = await pool.query(
      `INSERT INTO users (id, username, display_name, roles, password_hash, created_by)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [input.username, input.displayName?.trim() || null, roles, passwordHash, input.by],
    );
    return toInfo(rows[0]);
  } catch (err) {
    if ((err as { code?: string }).code === "23505") throw new UserError(`user "${input.username}" already exists`, 409);
    throw err;
  }
}

/** For sign-in: the stored hash of an enabled local account (null hash when there is none). */
export async function findForSignIn(
  pool: pg.Pool,
  username: string,
): Promise<{ id: string; username: string; passwordHash: string | null } | null> {
  const { rows } = await pool.query(
    `SELECT id, username, password_hash FROM users WHERE username = $1 AND disabled_at IS NULL`,
    [username],
  );
  return rows[0] ? { id: rows[0].id, username: rows[0].username, passwordHash: rows[0].password_hash } : null;
}

export interface UserChange {
  roles?: unknown;
  displayName?: string | null;
  disabled?: boolean;
  password?: string;
}

/** Applies an admin's change; disabling or resetting a password ends the user's sessions (roles are read
 * afresh on every request, so a role change takes effect at once without that). */
export async function updateUser(pool: pg.Pool, id: string, change: UserChange, actingUserId?: string): Promise<UserInfo> {
  const user = await getUser(pool, id);
  if (!user) throw new UserError(`no user with id ${id}`, 404);
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (sql: string, value: unknown) => {
    values.push(value);
    sets.push(`${sql} = $${values.length}`);
  };
  if (change.roles !== undefined) {
    const roles = parseRoles(change.roles);
    if (actingUserId === id && user.roles.includes("admin") && !roles.includes("admin")) {
      throw new UserError("you cannot remove your own admin role (another admin must do it)", 409);
    }
    set("roles", roles);
  }
  if (change.displayName !== undefined) set("display_name", change.displayName?.trim() || null);
  if (change.disabled !== undefined) {
    if (change.disabled && actingUserId === id) throw new UserError("you cannot disable your own account", 409);
    set("disabled_at", change.disabled ? (user.disabledAt ?? new Date()) : null); // keep when it was first disabled
  }
  if (change.password !== undefined) {
    const problem = passwordProblem(change.password, user.username);
    if (problem) throw new UserError(problem);
    set("password_hash", await hashPassword(change.password));
  }
  if (sets.length === 0) throw new UserError("nothing to change (give roles, displayName, disabled or password)");
  values.push(id);
  const { rows } = await pool.query(`UPDATE users SET ${sets.join(", ")} WHERE id = $${values.length} RETURNING ${COLUMNS}`, values);
  if (change.disabled || change.password !== undefined) await revokeUserSessions(pool, id);
  return toInfo(rows[0]);
}
