// Integration: sign-in with OpenID Connect against a real OpenID Provider (oidc-provider, in-process on a
// loopback port), driven through the route handlers the way a browser would: start → the provider's
// authorize endpoint → its (development) login and consent forms → our callback → session.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Configuration } from "oidc-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as startRoute } from "../app/api/auth/oidc/start/route.ts";
import { GET as callbackRoute } from "../app/api/auth/oidc/callback/route.ts";
import { forgetOidcDiscovery } from "../lib/auth/oidc.ts";
import { FLOW_COOKIE, flowKey, openFlow, sealFlow } from "../lib/auth/oidc-flow-cookie.ts";
import { lookupSession, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { createLocalUser, getUser, updateUser } from "../lib/auth/users.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

const APP = "http://hindsight.test";
const CLIENT_ID = "hindsight";
const CLIENT_SECRET = "test-secret-that-is-long-enough-0123456789";

/** Claims of the provider's accounts, by account id (the dev login form takes any id). */
const accounts = new Map<string, Record<string, unknown>>();

interface TestProvider {
  issuer: string;
  /** Requests to the provider's userinfo endpoint so far. */
  userinfoCalls: number;
  close(): Promise<void>;
}

/** A real OpenID Provider on a loopback port, with one confidential client for Hindsight. */
async function startProvider(extra: Partial<Configuration> = {}): Promise<TestProvider> {
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const out: TestProvider = { issuer: "", userinfoCalls: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/me")) out.userinfoCalls++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  out.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  out.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(out.issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${APP}/api/auth/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "test" }] },
    cookies: { keys: ["op-cookie-key-for-tests"] },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 300, Session: 300, Grant: 300 },
    scopes: ["openid", "email", "profile", "groups", "roles"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["preferred_username", "name"], groups: ["groups"], roles: ["realm_access"] },
    async findAccount(_ctx, id) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    ...extra,
  });
  handler = provider.callback();
  return out;
}

// The default provider keeps profile claims out of the ID token (they come from userinfo), as many do.
let op: TestProvider;
let issuer = "";
const savedEnv = { ...process.env };

beforeAll(async () => {
  op = await startProvider();
  issuer = op.issuer;
});

afterAll(async () => {
  process.env = savedEnv;
  await op.close();
});

beforeEach(() => {
  forgetOidcDiscovery();
  for (const key of Object.keys(process.env)) if (key.startsWith("HINDSIGHT_OIDC_")) delete process.env[key];
  Object.assign(process.env, {
    HINDSIGHT_OIDC_ISSUER: issuer,
    HINDSIGHT_OIDC_CLIENT_ID: CLIENT_ID,
    HINDSIGHT_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    HINDSIGHT_OIDC_LABEL: "Test IdP",
    HINDSIGHT_OIDC_SCOPES: "groups",
    HINDSIGHT_OIDC_ROLES_CLAIM: "groups",
    HINDSIGHT_OIDC_ROLE_MAP: "hs-investigators=investigator,hs-admins=admin,hs-admins=auditor",
  });
});

/** Enough of a browser's cookie store: name → value, dropping cookies set empty or with Max-Age=0. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

function newAccount(claims: Record<string, unknown>): string {
  const id = `acct-${randomUUID().slice(0, 8)}`;
  accounts.set(id, claims);
  return id;
}

/** Our start route: the redirect to the provider, with the flow cookie in `jar`. */
async function start(jar: Jar, next = "/decisions?effect=deny"): Promise<string> {
  const res = await startRoute(new Request(`${APP}/api/auth/oidc/start?next=${encodeURIComponent(next)}`, { headers: { "user-agent": "vitest" } }));
  expect(res.status).toBe(303);
  jar.take(res);
  const location = res.headers.get("location")!;
  expect(location.startsWith(`${process.env.HINDSIGHT_OIDC_ISSUER}/`), `start should redirect to the provider, got ${location}`).toBe(true);
  return location;
}

/** Plays the user at the provider (dev login form, then consent, or abort); returns the URL it redirects back to. */
async function atProvider(authorizeUrl: string, accountId: string, opts: { abort?: boolean } = {}): Promise<URL> {
  const opJar = new Jar();
  let url = authorizeUrl;
  let method = "GET";
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 15; hop++) {
    const res = await fetch(url, { method, body, redirect: "manual", headers: { cookie: opJar.header(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) } });
    opJar.take(res);
    method = "GET";
    body = undefined;
    const location = res.headers.get("location");
    if (location) {
      const target = new URL(location, url);
      if (target.origin === APP) return target;
      url = target.href;
      continue;
    }
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page at the provider: ${html.slice(0, 300)}`);
    if (opts.abort) {
      url = new URL(`${action}/abort`, url).href;
      continue;
    }
    url = new URL(action, url).href;
    method = "POST";
    body = new URLSearchParams(prompt === "login" ? { prompt, login: accountId, password: "any" } : { prompt });
  }
  throw new Error("too many redirects at the provider");
}

async function callback(url: URL, jar: Jar): Promise<Response> {
  const res = await callbackRoute(new Request(url, { headers: { cookie: jar.header(), "user-agent": "vitest", "x-hindsight-client": "203.0.113.9" } }));
  jar.take(res);
  return res;
}

/** The whole flow for one account: the callback's response and the browser's cookies after it. */
async function signIn(accountId: string, next?: string) {
  const jar = new Jar();
  const back = await atProvider(await start(jar, next), accountId);
  return { res: await callback(back, jar), jar };
}

function loginError(res: Response): string {
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get("location")!, APP);
  expect(location.pathname).toBe("/login");
  return location.searchParams.get("error") ?? "";
}

async function userBySubject(sub: string) {
  const { rows } = await getPool().query(`SELECT id, username, roles, display_name, password_hash FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, sub]);
  return rows[0] ?? null;
}

async function lastAudit(action: string, since: Date) {
  const { rows } = await getPool().query(`SELECT actor, target, reason, origin, details FROM audit_events WHERE action = $1 AND at >= $2 ORDER BY at DESC LIMIT 1`, [action, since]);
  return rows[0] ?? null;
}

describe("sign-in with OpenID Connect (real provider)", () => {
  it("signs a new user in end to end: provisions the user with mapped roles, opens a session, audits, goes to next", async () => {
    const since = new Date(Date.now() - 1000);
    const sub = newAccount({ preferred_username: `dora-${randomUUID().slice(0, 6)}`, name: "Dora Explorer", email: "dora@example.com", groups: ["hs-admins", "unrelated"] });
    const jar = new Jar();
    const authorize = new URL(await start(jar));
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("openid email profile groups");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${APP}/api/auth/oidc/callback`);
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(jar.cookies.has(FLOW_COOKIE)).toBe(true);

    const back = await atProvider(authorize.href, sub);
    const res = await callback(back, jar);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/decisions?effect=deny");
    const setCookies = res.headers.getSetCookie();
    expect(setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/HttpOnly; SameSite=Lax/);
    expect(setCookies.find((c) => c.startsWith(`${FLOW_COOKIE}=`))).toMatch(/Max-Age=0/);
    expect(jar.cookies.has(FLOW_COOKIE)).toBe(false);

    const user = await userBySubject(sub);
    expect(user).toMatchObject({ username: accounts.get(sub)!.preferred_username, roles: ["auditor", "admin"], display_name: "Dora Explorer", password_hash: null });
    const session = await lookupSession(getPool(), jar.cookies.get(SESSION_COOKIE));
    expect(session).toMatchObject({ userId: user.id, method: "oidc", roles: ["auditor", "admin"] });

    const audit = await lastAudit("auth.sign_in", since);
    expect(audit).toMatchObject({ actor: user.username, target: user.id, origin: "203.0.113.9" });
    expect(audit.details).toMatchObject({ method: "oidc", issuer, subject: sub, newUser: true });
    expect(await lastAudit("user.create", since)).toMatchObject({ actor: user.username, target: user.id });
  });

  it("finds the user again by (issuer, subject) and refreshes roles from the claim at every sign-in", async () => {
    const sub = newAccount({ preferred_username: `eve-${randomUUID().slice(0, 6)}`, groups: ["hs-investigators"] });
    await signIn(sub);
    const first = await userBySubject(sub);
    expect(first.roles).toEqual(["investigator"]);

    const since = new Date(Date.now() - 1000);
    accounts.set(sub, { ...accounts.get(sub), preferred_username: "renamed-at-idp", groups: ["hs-admins"] });
    const { res } = await signIn(sub);
    expect(res.headers.get("location")).toBe("/decisions?effect=deny");
    const again = await userBySubject(sub);
    expect(again.id).toBe(first.id);
    expect(again.username).toBe(first.username);
    expect(again.roles).toEqual(["auditor", "admin"]);
    const change = await lastAudit("user.update", since);
    expect(change.details.roles).toEqual({ from: ["investigator"], to: ["auditor", "admin"] });

    // Leaving every mapped group takes every role away.
    accounts.set(sub, { ...accounts.get(sub), groups: [] });
    await signIn(sub);
    expect((await userBySubject(sub)).roles).toEqual([]);
  });

  it("without a roles claim, new users get the default roles and keep what an admin assigns", async () => {
    delete process.env.HINDSIGHT_OIDC_ROLES_CLAIM;
    delete process.env.HINDSIGHT_OIDC_ROLE_MAP;
    process.env.HINDSIGHT_OIDC_DEFAULT_ROLES = "investigator";
    const sub = newAccount({ email: `fay-${randomUUID().slice(0, 6)}@example.com`, groups: ["hs-admins"] });
    await signIn(sub);
    const user = await userBySubject(sub);
    expect(user.username).toBe(accounts.get(sub)!.email); // no preferred_username: the e-mail
    expect(user.roles).toEqual(["investigator"]);
    await updateUser(getPool(), user.id, { roles: ["auditor"] });
    await signIn(sub);
    expect((await userBySubject(sub)).roles).toEqual(["auditor"]);

    delete process.env.HINDSIGHT_OIDC_DEFAULT_ROLES;
    const bare = newAccount({ preferred_username: `gil-${randomUUID().slice(0, 6)}` });
    const { res } = await signIn(bare);
    expect(res.headers.get("location")).toBe("/decisions?effect=deny");
    expect((await userBySubject(bare)).roles).toEqual([]);
  });

  it("never takes over a local account with the same name: the OIDC user gets a distinct one", async () => {
    const name = `hank-${randomUUID().slice(0, 6)}`;
    const local = await createLocalUser(getPool(), { username: name, password: "a-long-local-password-1", roles: ["admin"], by: "test" });
    const sub = newAccount({ preferred_username: name, email: `${name}@example.com`, groups: ["hs-investigators"] });
    const { res, jar } = await signIn(sub);
    expect(res.status).toBe(303);
    const user = await userBySubject(sub);
    expect(user.id).not.toBe(local.id);
    expect(user.username).toBe(`${name}-sso`);
    expect(user.roles).toEqual(["investigator"]);
    expect((await lookupSession(getPool(), jar.cookies.get(SESSION_COOKIE)))?.userId).toBe(user.id);
    const after = await getUser(getPool(), local.id);
    expect(after).toMatchObject({ username: name, roles: ["admin"], local: true, oidcIssuer: null });
  });

  it("refuses a disabled user and audits the refusal", async () => {
    const sub = newAccount({ preferred_username: `ivy-${randomUUID().slice(0, 6)}`, groups: ["hs-investigators"] });
    await signIn(sub);
    const user = await userBySubject(sub);
    await updateUser(getPool(), user.id, { disabled: true });
    const since = new Date(Date.now() - 1000);
    const { res, jar } = await signIn(sub);
    expect(loginError(res)).toMatch(/account ".*" is disabled/);
    expect(new URL(res.headers.get("location")!, APP).searchParams.get("next")).toBe("/decisions?effect=deny");
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await lastAudit("auth.sign_in_failed", since)).toMatchObject({ actor: user.username, target: user.id, reason: expect.stringMatching(/disabled/) });
  });

  it("refuses a response whose state was tampered with", async () => {
    const sub = newAccount({ preferred_username: `jon-${randomUUID().slice(0, 6)}` });
    const jar = new Jar();
    const back = await atProvider(await start(jar), sub);
    back.searchParams.set("state", "forged-state");
    const since = new Date(Date.now() - 1000);
    const res = await callback(back, jar);
    expect(loginError(res)).toMatch(/state mismatch/);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${FLOW_COOKIE}=;`) && c.includes("Max-Age=0"))).toBe(true);
    expect(await userBySubject(sub)).toBeNull();
    const audit = await lastAudit("auth.sign_in_failed", since);
    expect(audit).toMatchObject({ actor: "anonymous", reason: expect.stringMatching(/state mismatch/) });
    expect(audit.details).toMatchObject({ method: "oidc", issuer, stage: "state" });
  });

  it("refuses a callback without the flow cookie, or with an altered one", async () => {
    const sub = newAccount({ preferred_username: `kim-${randomUUID().slice(0, 6)}` });
    const jar = new Jar();
    const back = await atProvider(await start(jar), sub);
    expect(loginError(await callback(back, new Jar()))).toMatch(/no sign-in cookie/);

    const altered = new Jar();
    const value = jar.cookies.get(FLOW_COOKIE)!;
    altered.cookies.set(FLOW_COOKIE, value.slice(0, -6) + (value.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA"));
    expect(loginError(await callback(back, altered))).toMatch(/could not be verified/);
    expect(await userBySubject(sub)).toBeNull();
  });

  it("refuses an ID token whose nonce is not this sign-in's", async () => {
    const sub = newAccount({ preferred_username: `lea-${randomUUID().slice(0, 6)}` });
    const jar = new Jar();
    const authorize = await start(jar);
    // Re-seal the flow with another nonce (what a response injected from another sign-in would look like).
    const flow = await openFlow(jar.cookies.get(FLOW_COOKIE)!);
    jar.cookies.set(FLOW_COOKIE, await sealFlow({ ...flow, nonce: "some-other-nonce" }, flowKey()));
    const back = await atProvider(authorize, sub);
    const res = await callback(back, jar);
    expect(loginError(res)).toMatch(/ID token was rejected.*nonce/i);
    expect(await userBySubject(sub)).toBeNull();
  });

  it("reports the provider's refusal when the user cancels at the provider", async () => {
    const sub = newAccount({ preferred_username: `max-${randomUUID().slice(0, 6)}` });
    const jar = new Jar();
    const back = await atProvider(await start(jar), sub, { abort: true });
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(loginError(await callback(back, jar))).toMatch(/Test IdP refused the sign-in: End-User aborted interaction/);
  });

  it("does not replay a code: the second use of the same callback fails", async () => {
    const sub = newAccount({ preferred_username: `ned-${randomUUID().slice(0, 6)}` });
    const jar = new Jar();
    const back = await atProvider(await start(jar), sub);
    const flowValue = jar.cookies.get(FLOW_COOKIE)!;
    expect((await callback(back, jar)).headers.get("location")).toBe("/decisions?effect=deny");
    const replayJar = new Jar();
    replayJar.cookies.set(FLOW_COOKIE, flowValue);
    expect(loginError(await callback(back, replayJar))).toMatch(/refused the code exchange: invalid_grant/);
  });

  it("keeps `next` on this site", async () => {
    const sub = newAccount({ preferred_username: `oli-${randomUUID().slice(0, 6)}` });
    const { res } = await signIn(sub, "https://evil.example/steal");
    expect(res.headers.get("location")).toBe("/");
  });

  it("explains a wrong issuer configuration and an unreachable provider", async () => {
    // The provider publishes issuer 127.0.0.1:port; configured as localhost:port the metadata does not match.
    process.env.HINDSIGHT_OIDC_ISSUER = issuer.replace("127.0.0.1", "localhost");
    const res = await startRoute(new Request(`${APP}/api/auth/oidc/start?next=/tasks`));
    expect(loginError(res)).toContain(`names a different issuer (${issuer}) than HINDSIGHT_OIDC_ISSUER`);
    expect(new URL(res.headers.get("location")!, APP).searchParams.get("next")).toBe("/tasks");

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.HINDSIGHT_OIDC_ISSUER = `http://127.0.0.1:${port}`;
    expect(loginError(await startRoute(new Request(`${APP}/api/auth/oidc/start`)))).toMatch(/cannot reach the OpenID provider.*ECONNREFUSED/);
  });

  it("explains a malformed configuration", async () => {
    process.env.HINDSIGHT_OIDC_ROLE_MAP = "hs-admins=superuser";
    expect(loginError(await startRoute(new Request(`${APP}/api/auth/oidc/start`)))).toMatch(/misconfigured: HINDSIGHT_OIDC_ROLE_MAP: .*unknown role "superuser"/);
    process.env.HINDSIGHT_OIDC_CLIENT_SECRET = "wrong-secret";
    process.env.HINDSIGHT_OIDC_ROLE_MAP = "hs-admins=admin";
    const sub = newAccount({ preferred_username: `pat-${randomUUID().slice(0, 6)}` });
    const { res } = await signIn(sub);
    expect(loginError(res)).toMatch(/refused the code exchange: invalid_client.*HINDSIGHT_OIDC_CLIENT_SECRET/);
  });

  it("refuses a flow started under another issuer configuration", async () => {
    const jar = new Jar();
    await start(jar);
    const flow = await openFlow(jar.cookies.get(FLOW_COOKIE)!);
    jar.cookies.set(FLOW_COOKIE, await sealFlow({ ...flow, issuer: "https://other.example" }));
    const res = await callback(new URL(`${APP}/api/auth/oidc/callback?code=x&state=${flow.state}`), jar);
    expect(loginError(res)).toMatch(/configuration changed/);
  });
  it("reads claims from the ID token when the provider puts them there (no userinfo call), including a nested roles claim", async () => {
    const idTokenOp = await startProvider({ conformIdTokenClaims: false });
    try {
      process.env.HINDSIGHT_OIDC_ISSUER = idTokenOp.issuer;
      process.env.HINDSIGHT_OIDC_SCOPES = "roles";
      process.env.HINDSIGHT_OIDC_ROLES_CLAIM = "realm_access.roles";
      process.env.HINDSIGHT_OIDC_ROLE_MAP = "hindsight-policy=policy_owner";
      const sub = newAccount({ preferred_username: `quin-${randomUUID().slice(0, 6)}`, realm_access: { roles: ["hindsight-policy", "offline_access"] } });
      const jar = new Jar();
      const res = await callback(await atProvider(await start(jar), sub), jar);
      expect(res.headers.get("location")).toBe("/decisions?effect=deny");
      expect(idTokenOp.userinfoCalls).toBe(0);
      const { rows } = await getPool().query(`SELECT username, roles FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [idTokenOp.issuer, sub]);
      expect(rows[0]).toEqual({ username: accounts.get(sub)!.preferred_username, roles: ["policy_owner"] });
    } finally {
      await idTokenOp.close();
    }
  });

  it("completes the claims from userinfo when the ID token lacks them", async () => {
    const before = op.userinfoCalls;
    const sub = newAccount({ preferred_username: `rae-${randomUUID().slice(0, 6)}`, groups: ["hs-investigators"] });
    await signIn(sub);
    expect(op.userinfoCalls).toBe(before + 1);
    expect((await userBySubject(sub)).roles).toEqual(["investigator"]);
  });
});
