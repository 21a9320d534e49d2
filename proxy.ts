// The one guard in front of every page, route handler and server action (Next 16 proxy, Node runtime).
// It matches the request to the route table (lib/auth/routes.ts), looks up the session when the route
// needs one, and answers 401/403/404/405 or a redirect to sign-in itself; allowed requests go on with the
// user in an internal header and a per-request CSP nonce.
import { NextResponse, type NextRequest } from "next/server";
import { decide, routeAccess, type GuardRequest } from "@/lib/auth/guard";
import { CLIENT_HEADER, clientAddress, encodeUser, INTERNAL_HEADERS, NONCE_HEADER, PEER_HEADER, USER_HEADER } from "@/lib/auth/context";
import { lookupSession, SESSION_COOKIE, type SessionUser } from "@/lib/auth/sessions";
import { contentSecurityPolicy } from "@/lib/auth/csp";
import { getPool } from "@/lib/db/pool";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const headers: GuardRequest["headers"] = {};
  for (const name of ["origin", "host", "x-forwarded-host", "x-csrf-token", "next-action", "sec-fetch-site"]) {
    headers[name] = request.headers.get(name) ?? undefined;
  }
  const guardRequest: GuardRequest = { pathname, pathWithQuery: pathname + search, method: request.method, headers };

  const found = routeAccess(pathname, request.method);
  let session: SessionUser | null = null;
  const needsSession = found?.access && (found.access.kind === "signed-in" || found.access.kind === "permission");
  const secret = request.cookies.get(SESSION_COOKIE)?.value;
  if (needsSession && secret) {
    try {
      session = await lookupSession(getPool(), secret);
    } catch (err) {
      console.error("session lookup failed:", (err as Error).message);
      return deny(503, "the database is unavailable; try again shortly", found.route.type === "page", { "retry-after": "5" });
    }
  }

  const verdict = decide(guardRequest, session);
  if (verdict.kind === "redirect") return NextResponse.redirect(new URL(verdict.location, request.url), 303);
  if (verdict.kind === "deny") {
    const extra: Record<string, string> = verdict.allow ? { allow: verdict.allow } : {};
    return deny(verdict.status, verdict.message, found?.route.type === "page" || (!found && request.method === "GET" && acceptsHtml(request)), extra);
  }

  const forwarded = new Headers(request.headers);
  for (const name of INTERNAL_HEADERS) forwarded.delete(name);
  const client = clientAddress(request.headers.get(PEER_HEADER), request.headers.get("x-forwarded-for"));
  if (client) forwarded.set(CLIENT_HEADER, client);
  if (session) forwarded.set(USER_HEADER, encodeUser(session));

  const isPage = found?.route.type === "page";
  if (!isPage) return NextResponse.next({ request: { headers: forwarded } });

  // Pages get a script-src locked to this request's nonce (Next reads it from the request's CSP header).
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== "production");
  forwarded.set(NONCE_HEADER, nonce);
  forwarded.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("content-security-policy", csp);
  // Pages show what a session may see: never store them in shared or back-button caches.
  response.headers.set("cache-control", "private, no-store");
  return response;
}

function acceptsHtml(request: NextRequest): boolean {
  return (request.headers.get("accept") ?? "").includes("text/html");
}

function deny(status: number, message: string, html: boolean, extra: Record<string, string> = {}): NextResponse {
  if (!html) return NextResponse.json({ error: message }, { status, headers: extra });
  const title = { 401: "Sign in required", 403: "Not allowed", 404: "Not found", 405: "Method not allowed", 503: "Unavailable" }[status] ?? "Error";
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Hindsight</title></head><body style="font-family:system-ui,sans-serif;margin:3rem"><h1>${title}</h1><p>${escapeHtml(message)}</p><p><a href="/">Home</a> · <a href="/login">Sign in as someone else</a></p></body></html>`;
  return new NextResponse(body, { status, headers: { "content-type": "text/html; charset=utf-8", ...extra } });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const config = {
  // Everything except Next's own static assets (hashed build files carry no data).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|__nextjs).*)"],
};
