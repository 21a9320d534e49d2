// The signed-in user as pages and route handlers see it (set by proxy.ts after the guard allowed the
// request), and the audit-trail entry point that stamps who and from where.
import { headers } from "next/headers";
import type pg from "pg";
import { recordAuditEvent, type AuditEntry } from "../audit/trail.ts";
import { CLIENT_HEADER, decodeUser, NONCE_HEADER, USER_HEADER } from "./context.ts";
import { can, type Permission } from "./roles.ts";
import type { SessionUser } from "./sessions.ts";

/** For server components: the user of this request (null only on public pages). */
export async function currentUser(): Promise<SessionUser | null> {
  return decodeUser((await headers()).get(USER_HEADER));
}

/** For server components on guarded pages: the proxy guarantees a user; refuse loudly if it is missing. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new Error("no signed-in user on a guarded page (is proxy.ts running?)");
  return user;
}

export async function currentOrigin(): Promise<string | null> {
  return (await headers()).get(CLIENT_HEADER);
}

export async function currentNonce(): Promise<string | undefined> {
  return (await headers()).get(NONCE_HEADER) ?? undefined;
}

/** For route handlers. */
export function userOf(req: Request): SessionUser | null {
  return decodeUser(req.headers.get(USER_HEADER));
}

export function originOf(req: Request): string | null {
  return req.headers.get(CLIENT_HEADER);
}

export function userCan(user: SessionUser | null, permission: Permission): boolean {
  return !!user && can(user.roles, permission);
}

type Audit = Omit<AuditEntry, "actor" | "origin">;

/** Records an action of the request's user (route handlers). */
export function auditRequest(pool: pg.Pool | pg.ClientBase, req: Request, entry: Audit) {
  const user = userOf(req);
  return recordAuditEvent(pool, {
    ...entry,
    actor: user?.username ?? "anonymous",
    origin: originOf(req),
    details: { ...entry.details, userAgent: req.headers.get("user-agent")?.slice(0, 200) ?? undefined },
  });
}

/** Records an action of the current user (server components: page views such as searches). */
export async function auditCurrent(pool: pg.Pool | pg.ClientBase, entry: Audit) {
  const h = await headers();
  const user = decodeUser(h.get(USER_HEADER));
  return recordAuditEvent(pool, {
    ...entry,
    actor: user?.username ?? "anonymous",
    origin: h.get(CLIENT_HEADER),
    details: { ...entry.details, userAgent: h.get("user-agent")?.slice(0, 200) ?? undefined },
  });
}

/** Records that the current user viewed data (a search, a record, a task), with the query that selected it. */
export async function auditView(
  action: string,
  target: string | null,
  params: Record<string, string | string[] | undefined> = {},
): Promise<void> {
  const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""));
  const { getPool } = await import("../db/pool.ts");
  await auditCurrent(getPool(), { action, target, details: Object.keys(query).length ? { query } : {} });
}
