// Changes a user: PATCH JSON {roles?, displayName?, disabled?, password?} → 200 {user}. Admins cannot
// remove their own admin role or disable themselves (lib/auth/users.ts refuses with 409). Each kind of
// change is its own audit event: user.update (roles from/to, display name), user.disable, user.enable,
// user.reset_password (never the password). Disabling and resetting a password end the user's sessions.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { auditRequest, userOf } from "@/lib/auth/current";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { getUser, updateUser, UserError } from "@/lib/auth/users";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const body = z.strictObject({
  roles: z.array(z.string({ message: "must be role names" }), { message: "must be a list of role names" }).max(10, "has too many entries").optional(),
  displayName: z.string({ message: "must be a string" }).max(200, "is too long").nullable().optional(),
  disabled: z.boolean({ message: "must be true or false" }).optional(),
  password: z.string({ message: "must be a string" }).min(1, "must not be empty").max(1024, "is too long").optional(),
});

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export async function PATCH(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const pool = getPool();
  try {
    const change = await readJsonBody(req, body);
    const before = await getUser(pool, id);
    if (!before) return jsonResponse(404, { error: `no user with id ${id}` });
    if (change.password !== undefined && !before.local) {
      return jsonResponse(409, { error: `${before.username} signs in through OpenID Connect (${before.oidcIssuer ?? "issuer unknown"}) and has no password to reset` });
    }
    const after = await updateUser(pool, id, change, userOf(req)?.userId);
    const username = after.username;
    const update: Record<string, unknown> = {};
    if (change.roles !== undefined && !sameSet(before.roles, after.roles)) Object.assign(update, { from: before.roles, to: after.roles });
    if (change.displayName !== undefined && before.displayName !== after.displayName) {
      Object.assign(update, { displayNameFrom: before.displayName, displayNameTo: after.displayName });
    }
    if (Object.keys(update).length) await auditRequest(pool, req, { action: "user.update", target: id, details: { username, ...update } });
    if (change.disabled !== undefined && !!before.disabledAt !== change.disabled) {
      await auditRequest(pool, req, { action: change.disabled ? "user.disable" : "user.enable", target: id, details: { username } });
    }
    if (change.password !== undefined) await auditRequest(pool, req, { action: "user.reset_password", target: id, details: { username } });
    return jsonResponse(200, { user: after });
  } catch (err) {
    if (err instanceof BodyError || err instanceof UserError) return jsonResponse(err.status, { error: err.message });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "the database is unavailable; try again shortly" }, { "retry-after": "5" });
    throw err;
  }
}
