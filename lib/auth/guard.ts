// The one guard: decides every request from the route table, the session and the request's headers.
// Pure (no I/O) so the whole role × route matrix is testable without a server; proxy.ts supplies the
// session and turns the verdict into a response.
import { accessFor, type Access } from "./routes.ts";
import { can, rolesWith } from "./roles.ts";
import type { SessionUser } from "./sessions.ts";

export interface GuardRequest {
  pathname: string;
  /** Path plus query, for the post-sign-in redirect. */
  pathWithQuery?: string;
  method: string;
  /** Lower-cased request headers that matter: origin, host, x-forwarded-host, x-csrf-token, next-action, sec-fetch-site. */
  headers: Record<string, string | undefined>;
}

export type Verdict =
  | { kind: "allow"; access: Access }
  | { kind: "redirect"; location: string }
  | { kind: "deny"; status: 401 | 403 | 404 | 405; message: string; allow?: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Which access a route needs, before any session is looked up (so public and token routes skip the database). */
export function routeAccess(pathname: string, method: string) {
  return accessFor(pathname, method);
}

export function decide(req: GuardRequest, session: SessionUser | null): Verdict {
  const found = accessFor(req.pathname, req.method);
  if (!found) return { kind: "deny", status: 404, message: `no such page or endpoint: ${req.pathname}` };
  const { route, access } = found;
  if (req.headers["next-action"]) {
    // Server actions are routes too; this app declares none, so any action call is refused.
    return { kind: "deny", status: 403, message: "server actions are not accepted" };
  }
  if (!access) {
    const allow = Object.keys(route.methods).join(", ");
    return { kind: "deny", status: 405, message: `${req.method} is not allowed on ${route.path} (allowed: ${allow})`, allow };
  }
  const mutation = !SAFE_METHODS.has(req.method.toUpperCase());
  if (mutation && access.kind !== "ingest-token" && crossSite(req)) {
    return { kind: "deny", status: 403, message: "cross-site request refused (Origin does not match this site)" };
  }
  if (access.kind === "public" || access.kind === "ingest-token") return { kind: "allow", access };

  if (!session) {
    if (route.type === "page") {
      const next = req.pathWithQuery ?? req.pathname;
      return { kind: "redirect", location: `/login${next && next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}` };
    }
    return { kind: "deny", status: 401, message: "sign in first (no valid session)" };
  }
  if (access.kind === "permission" && !can(session.roles, access.permission)) {
    const roles = rolesWith(access.permission).map((r) => r.replace("_", " ")).join(" or ");
    return { kind: "deny", status: 403, message: `${route.path} needs the ${access.permission} permission (role ${roles})` };
  }
  if (mutation && req.headers["x-csrf-token"] !== session.csrf) {
    return { kind: "deny", status: 403, message: "missing or wrong CSRF token (send the page's x-csrf-token header)" };
  }
  return { kind: "allow", access };
}

/** True when the browser says the request came from another site (Origin or Sec-Fetch-Site). */
function crossSite(req: GuardRequest): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = req.headers.origin;
  if (!origin || origin === "null") return origin === "null";
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
