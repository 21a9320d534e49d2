// Where the OpenID provider sends the browser back: checks the response against the flow cookie,
// exchanges the code, signs the user in and redirects to `next`, or to /login?error=… (lib/auth/oidc.ts).
import { getPool } from "@/lib/db/pool";
import { finishOidcSignIn } from "@/lib/auth/oidc";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request): Promise<Response> {
  return finishOidcSignIn(req, getPool());
}
