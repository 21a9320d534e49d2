// Starts sign-in with the configured OpenID provider: GET ?next=/path → 303 to the provider's
// authorization endpoint, with the flow's state in a short-lived encrypted cookie (lib/auth/oidc.ts).
import { startOidcSignIn } from "@/lib/auth/oidc";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET(req: Request): Promise<Response> {
  return startOidcSignIn(req);
}
