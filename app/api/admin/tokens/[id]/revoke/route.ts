// Revokes an ingest token by id: POST → 200 {info}; 404 for an unknown id, 409 when already revoked.
// Takes effect on the PDP's next request (tokens are checked on every request). Audited as token.revoke.
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { getToken, revokeTokens } from "@/lib/ingest/tokens";
import { auditRequest } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    return jsonResponse(400, { error: `token id "${id.slice(0, 100)}" is not a UUID` });
  }
  const pool = getPool();
  try {
    const token = await getToken(pool, id);
    if (!token) return jsonResponse(404, { error: `no ingest token with id ${id}` });
    const [revoked] = await revokeTokens(pool, id);
    if (!revoked) {
      const at = token.revokedAt ?? (await getToken(pool, id))?.revokedAt;
      return jsonResponse(409, { error: `token "${token.name}" is already revoked${at ? ` (since ${at.toISOString()})` : ""}` });
    }
    await auditRequest(pool, req, { action: "token.revoke", target: id, details: { name: revoked.name, prefix: revoked.prefix } });
    return jsonResponse(200, { info: revoked });
  } catch (err) {
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "the database is unavailable; try again shortly" }, { "retry-after": "5" });
    throw err;
  }
}
