// Authorization, against the real app: every declared route and method, tried by an anonymous client
// and by a signed-in user of each role (and by one with no role), must let in exactly the roles the
// product declares and refuse everyone else — 303 to sign-in or 401 for anonymous clients, 403 for
// signed-in users without the permission. Undeclared paths and methods, server-action calls and
// cross-site or CSRF-less mutations are refused too. Requests carry deliberately empty bodies, so an
// admitted mutation fails validation in its handler instead of changing anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../../lib/auth/users.ts";
import { csrfTokenFor, SESSION_COOKIE } from "../../lib/auth/sessions.ts";
import { ROUTES } from "../../lib/auth/routes.ts";
import { concretePath, DECLARED_ROLES } from "../auth/declared-access.ts";
import { AppServer } from "./support/app-server.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database.ts";
import { request, type Outcome } from "./support/http.ts";

const ROLES = ["investigator", "auditor", "policy_owner", "admin"] as const;
const PASSWORD = "authorization matrix passphrase";

interface Identity {
  name: string;
  role: string | null;
  cookie: string | null;
  csrf: string | null;
}

let db: ThrowawayDatabase;
let app: AppServer;
const identities: Identity[] = [{ name: "anonymous", role: null, cookie: null, csrf: null }];

beforeAll(async () => {
  db = await createThrowawayDatabase("authz");
  app = await AppServer.start({ name: "authz", databaseUrl: db.url });
  for (const role of [...ROLES, null]) {
    const username = `authz-${role ?? "no-role"}`;
    await createLocalUser(db.pool, { username, password: PASSWORD, roles: role ? [role] : [], by: "authz test" });
    const res = await request({
      method: "POST",
      url: `${app.baseUrl}/api/auth/login`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status, res.body).toBe(200);
    const secret = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(String(res.headers["set-cookie"]))?.[1];
    expect(secret).toBeTruthy();
    identities.push({ name: role ?? "no role", role, cookie: `${SESSION_COOKIE}=${secret}`, csrf: csrfTokenFor(secret!) });
  }
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});


async function attempt(who: Identity, method: string, path: string, extra: Record<string, string> = {}): Promise<Outcome> {
  const headers: Record<string, string> = { accept: path.startsWith("/api") ? "application/json" : "text/html", ...extra };
  if (who.cookie) headers.cookie = who.cookie;
  if (who.csrf && method !== "GET" && !("x-csrf-token" in extra)) headers["x-csrf-token"] = who.csrf;
  const body = method === "GET" ? undefined : "";
  if (body !== undefined) headers["content-type"] ??= "application/json";
  return request({ method, url: `${app.baseUrl}${path}`, headers, body, timeoutMs: 30_000 });
}

/** Did the guard let the request through? (The handler may still answer 400/404/409/422 for the empty body.) */
function admitted(o: Outcome): boolean {
  // The guard's sign-in redirect (handlers may redirect to /login?error=… themselves, e.g. OIDC when off).
  const location = String(o.headers.location ?? "");
  if (o.status === 303 && (/\/login\?next=/.test(location) || /\/login$/.test(location))) return false;
  if (o.status === 401 || o.status === 403) return false;
  if (o.status === 404 && o.body.includes("no such page or endpoint")) return false;
  return o.status !== null;
}

describe("authorization matrix against the running app", () => {
  it("lets exactly the declared roles into every route, and nobody else", async () => {
    const wrong: string[] = [];
    const serverErrors: string[] = [];
    let tried = 0;
    for (const spec of ROUTES) {
      for (const [method, access] of Object.entries(spec.methods)) {
        if (spec.path === "/api/auth/logout") continue; // would end the sessions under test; checked below
        const path = concretePath(spec.path);
        for (const who of identities) {
          const o = await attempt(who, method, path);
          tried++;
          if (o.status === null || o.status >= 500) serverErrors.push(`${who.name} ${method} ${path} → ${o.status ?? o.error} ${o.body.slice(0, 200)}`);
          let expected: boolean;
          if (access!.kind === "public") expected = true;
          else if (access!.kind === "ingest-token") expected = false; // sessions never open token endpoints
          else if (access!.kind === "signed-in") expected = who.cookie !== null;
          else expected = who.role !== null && (DECLARED_ROLES[access!.permission] ?? []).includes(who.role);
          if (admitted(o) !== expected) {
            wrong.push(`${who.name} ${method} ${path}: expected ${expected ? "admitted" : "refused"}, got ${o.status} ${o.body.slice(0, 160)}`);
            continue;
          }
          if (!expected) {
            // The refusal has the right form and names its reason.
            if (who.cookie === null || access!.kind === "ingest-token") {
              const ok = (spec.type === "page" && o.status === 303) || o.status === 401;
              if (!ok) wrong.push(`${who.name} ${method} ${path}: anonymous refusal should be 303→/login or 401, got ${o.status}`);
            } else if (o.status !== 403 || !/permission/.test(o.body)) wrong.push(`${who.name} ${method} ${path}: expected 403 naming the permission, got ${o.status}`);
          }
        }
      }
    }
    console.log(`authorization matrix: ${tried} requests over ${ROUTES.length} routes × ${identities.length} identities`);
    expect(serverErrors).toEqual([]);
    expect(wrong).toEqual([]);
  });

  it("refuses undeclared paths and methods, server actions, cross-site and CSRF-less mutations", async () => {
    const investigator = identities.find((i) => i.role === "investigator")!;
    const owner = identities.find((i) => i.role === "policy_owner")!;
    expect((await attempt(investigator, "GET", "/api/debug/env")).status).toBe(404);
    expect((await attempt(investigator, "GET", "/records/1/raw/../../../etc/passwd")).status).toBe(404);
    const del = await attempt(owner, "DELETE", "/api/impact");
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("POST");
    expect((await attempt(investigator, "POST", "/decisions", { "next-action": "7f00" })).status).toBe(403);
    const noCsrf = await attempt(owner, "POST", "/api/impact", { "x-csrf-token": "" });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toContain("CSRF");
    const crossSite = await attempt(owner, "POST", "/api/impact", { origin: "https://attacker.example" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toContain("cross-site");
    const forgedUser = await attempt(identities[0]!, "GET", "/api/impact/1", { "x-hindsight-user": Buffer.from(JSON.stringify({ roles: ["policy_owner"] })).toString("base64url") });
    expect(forgedUser.status).toBe(401);
  });

  it("sign-out ends the session for every later request", async () => {
    const auditor = identities.find((i) => i.role === "auditor")!;
    expect((await attempt(auditor, "GET", "/audit")).status).toBe(200);
    expect((await attempt(auditor, "POST", "/api/auth/logout")).status).toBe(200);
    const after = await attempt(auditor, "GET", "/audit");
    expect(after.status).toBe(303);
  });
});
