// Sign-out: ends the session server-side (the cookie alone would not be enough) and clears the cookie.
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { auditRequest, userOf } from "@/lib/auth/current";
import { clearSessionCookie, revokeSession } from "@/lib/auth/sessions";
import { isSecureRequest } from "@/lib/auth/secure";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  const user = userOf(req);
  if (user) {
    await revokeSession(getPool(), user.sessionId);
    await auditRequest(getPool(), req, { action: "auth.sign_out", target: user.userId });
  }
  return jsonResponse(200, { signedOut: true }, { "set-cookie": clearSessionCookie(isSecureRequest(req)) });
}
