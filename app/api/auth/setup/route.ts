// First-run set-up: POST JSON {code, username, password, displayName?, roles?} creates the first admin
// (plus any data roles chosen, for single-person use) and signs them in. Refused once any user exists.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { originOf } from "@/lib/auth/current";
import { createFirstAdmin } from "@/lib/auth/setup";
import { createSession, sessionCookie } from "@/lib/auth/sessions";
import { UserError } from "@/lib/auth/users";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { signInLimiter } from "@/lib/auth/rate-limit";
import { isSecureRequest } from "@/lib/auth/secure";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const body = z.object({
  code: z.string({ message: "must be a string" }).max(200, "is too long"),
  username: z.string({ message: "must be a string" }),
  password: z.string({ message: "must be a string" }),
  displayName: z.string().max(200, "is too long").optional(),
  roles: z.array(z.string()).max(4, "has too many entries").optional(),
});

export async function POST(req: Request): Promise<Response> {
  const pool = getPool();
  const key = `setup:${originOf(req) ?? "unknown"}`;
  try {
    const wait = signInLimiter.blockedFor([key]);
    if (wait > 0) return jsonResponse(429, { error: `too many wrong set-up codes; try again in ${wait} s` }, { "retry-after": String(wait) });
    const input = await readJsonBody(req, body);
    const user = await createFirstAdmin(pool, { ...input, roles: input.roles ?? [], origin: originOf(req) });
    const session = await createSession(pool, user.id, { method: "password", origin: originOf(req), userAgent: req.headers.get("user-agent") });
    return jsonResponse(201, { user }, { "set-cookie": sessionCookie(session.secret, { secure: isSecureRequest(req) }) });
  } catch (err) {
    if (err instanceof UserError || err instanceof BodyError) {
      if (err.status === 403) signInLimiter.fail([key]);
      return jsonResponse(err.status, { error: err.message });
    }
    throw err;
  }
}
