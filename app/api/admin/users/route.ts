// Creates a local user: POST JSON {username, password, roles, displayName?} → 201 {user}. The acting admin
// is recorded as creator and in the audit trail (user.create; the password never is).
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { auditRequest, userOf } from "@/lib/auth/current";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { createLocalUser, UserError } from "@/lib/auth/users";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const body = z.strictObject({
  username: z.string({ message: "must be a string" }).min(1, "is required").max(100, "is too long"),
  displayName: z.string({ message: "must be a string" }).max(200, "is too long").nullable().optional(),
  roles: z.array(z.string({ message: "must be role names" }), { message: "must be a list of role names" }).max(10, "has too many entries"),
  password: z.string({ message: "must be a string" }).min(1, "is required").max(1024, "is too long"),
});

export async function POST(req: Request): Promise<Response> {
  const pool = getPool();
  try {
    const input = await readJsonBody(req, body);
    const actor = userOf(req)?.username ?? "anonymous";
    const user = await createLocalUser(pool, { ...input, by: actor });
    await auditRequest(pool, req, { action: "user.create", target: user.id, details: { username: user.username, roles: user.roles } });
    return jsonResponse(201, { user });
  } catch (err) {
    if (err instanceof BodyError || err instanceof UserError) return jsonResponse(err.status, { error: err.message });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "the database is unavailable; try again shortly" }, { "retry-after": "5" });
    throw err;
  }
}
