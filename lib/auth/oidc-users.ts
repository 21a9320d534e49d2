// Maps a verified OpenID Connect identity to a Hindsight user. The identity is the (issuer, subject) pair
// and nothing else: a name or e-mail that matches an existing account never links to it (an IdP user
// called "admin" must not become the local admin), so a new identity whose name is taken gets a distinct one.
import type pg from "pg";
import { recordAuditEvent } from "../audit/trail.ts";
import type { Role } from "./roles.ts";
import { usernameProblem } from "./users.ts";

export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** preferred_username, else email, else subject: the wished-for user name. */
  usernameHint: string;
  displayName: string | null;
  /** Roles for a new user; with `syncRoles` also the roles an existing user is set to at every sign-in. */
  roles: Role[];
  syncRoles: boolean;
}

export interface OidcUser {
  id: string;
  username: string;
  roles: string[];
  created: boolean;
}

export class OidcAccountError extends Error {
  constructor(
    message: string,
    readonly username: string,
    readonly userId: string,
  ) {
    super(message);
  }
}

const MAX_NAME = 100;

/** A user name the users table accepts, from whatever the IdP sent (disallowed characters become "_"). */
export function usernameFromHint(hint: string): string {
  const cleaned = hint.trim().replace(/[^\w.@+-]/g, "_").slice(0, MAX_NAME - 8);
  return cleaned && !usernameProblem(cleaned) ? cleaned : "oidc-user";
}

/** The names to try in order: the hint, then hint-sso, hint-sso-2, … */
export function usernameCandidates(hint: string, count = 20): string[] {
  const base = usernameFromHint(hint);
  const out = [base, `${base}-sso`];
  for (let i = 2; out.length < count; i++) out.push(`${base}-sso-${i}`);
  return out;
}

/**
 * Finds the user for an identity or creates it; refreshes roles when they come from the IdP. Disabled
 * users are refused with OidcAccountError. New users and role changes are recorded in the audit trail.
 */
export async function provisionOidcUser(pool: pg.Pool, identity: OidcIdentity, origin: string | null): Promise<OidcUser> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await findByIdentity(pool, identity);
    if (existing) return refresh(pool, existing, identity, origin);
    const created = await insert(pool, identity);
    if (created) {
      await recordAuditEvent(pool, {
        actor: created.username,
        action: "user.create",
        target: created.id,
        reason: `first sign-in through ${identity.issuer}`,
        origin,
        details: { username: created.username, roles: created.roles, method: "oidc", issuer: identity.issuer, subject: identity.subject },
      });
      return created;
    }
    // Lost a race with a concurrent first sign-in of the same identity: find it on the next round.
  }
  throw new Error(`could not create or find the user for ${identity.issuer} subject ${identity.subject}`);
}

async function findByIdentity(pool: pg.Pool, identity: OidcIdentity) {
  const { rows } = await pool.query<{ id: string; username: string; roles: string[]; disabled: boolean }>(
    `SELECT id, username, roles, disabled_at IS NOT NULL AS disabled FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`,
    [identity.issuer, identity.subject],
  );
  return rows[0] ?? null;
}

async function refresh(
  pool: pg.Pool,
  user: { id: string; username: string; roles: string[]; disabled: boolean },
  identity: OidcIdentity,
  origin: string | null,
): Promise<OidcUser> {
  if (user.disabled) throw new OidcAccountError(`the account "${user.username}" is disabled; ask an admin`, user.username, user.id);
  if (!identity.syncRoles || sameRoles(user.roles, identity.roles)) return { id: user.id, username: user.username, roles: user.roles, created: false };
  await pool.query(`UPDATE users SET roles = $2 WHERE id = $1`, [user.id, identity.roles]);
  await recordAuditEvent(pool, {
    actor: user.username,
    action: "user.update",
    target: user.id,
    reason: `roles from the identity provider (${identity.issuer}) at sign-in`,
    origin,
    details: { username: user.username, roles: { from: user.roles, to: identity.roles }, method: "oidc" },
  });
  return { id: user.id, username: user.username, roles: identity.roles, created: false };
}

/** Inserts under the first free candidate name; null when the identity itself appeared meanwhile. */
async function insert(pool: pg.Pool, identity: OidcIdentity): Promise<OidcUser | null> {
  for (const username of usernameCandidates(identity.usernameHint)) {
    const { rows } = await pool.query<{ id: string; username: string; roles: string[] }>(
      `INSERT INTO users (id, username, display_name, roles, oidc_issuer, oidc_subject, created_by)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'oidc sign-in')
       ON CONFLICT DO NOTHING RETURNING id, username, roles`,
      [username, identity.displayName?.trim().slice(0, 200) || null, identity.roles, identity.issuer, identity.subject],
    );
    if (rows[0]) return { ...rows[0], created: true };
    if (await findByIdentity(pool, identity)) return null;
  }
  throw new Error(`no free user name for "${identity.usernameHint}" (tried ${usernameCandidates(identity.usernameHint).length} variants)`);
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");
}
