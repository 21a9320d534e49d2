// Creates an ingest token: POST JSON {name, endpoints, pdp?} → 201 {token, info}. The secret is in this
// answer only (the database keeps its SHA-256); the audit event (token.create) names the token, never
// the secret.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { createToken, TokenError } from "@/lib/ingest/tokens";
import { auditRequest, userOf } from "@/lib/auth/current";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const body = z.strictObject({
  name: z.string({ message: "must be a string" }).trim().min(1, "is required").max(200, "is too long"),
  endpoints: z.array(z.string({ message: "must be endpoint names" }), { message: "must be a list: opa, cerbos or both" }).min(1, "needs at least one of opa, cerbos"),
  pdp: z.string({ message: "must be a string" }).trim().max(200, "is too long").nullable().optional(),
});

export async function POST(req: Request): Promise<Response> {
  const pool = getPool();
  try {
    const input = await readJsonBody(req, body);
    const { token, info } = await createToken(pool, input.name, {
      endpoints: input.endpoints,
      pdp: input.pdp,
      createdBy: userOf(req)?.username ?? null,
    });
    await auditRequest(pool, req, {
      action: "token.create",
      target: info.id,
      details: { name: info.name, prefix: info.prefix, endpoints: info.endpoints, pdp: info.pdp },
    });
    return jsonResponse(201, { token, info }, { "cache-control": "no-store" });
  } catch (err) {
    if (err instanceof BodyError) return jsonResponse(err.status, { error: err.message });
    if (err instanceof TokenError) return jsonResponse(400, { error: err.message });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "the database is unavailable; try again shortly" }, { "retry-after": "5" });
    throw err;
  }
}
