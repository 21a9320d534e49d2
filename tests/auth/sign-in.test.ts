// Local accounts, sessions, first-run set-up and the sign-in/sign-out handlers against the real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { useTestDatabase } from "../setup/db.ts";
import { createLocalUser, updateUser, UserError } from "../../lib/auth/users.ts";
import { createSession, csrfTokenFor, lookupSession, revokeSession, SESSION_COOKIE } from "../../lib/auth/sessions.ts";
import { createFirstAdmin } from "../../lib/auth/setup.ts";
import { encodeUser, CLIENT_HEADER, USER_HEADER } from "../../lib/auth/context.ts";
import { FailureLimiter, TokenBucket } from "../../lib/auth/rate-limit.ts";
import { passwordProblem } from "../../lib/auth/password-policy.ts";
import { POST as login } from "../../app/api/auth/login/route.ts";
import { POST as logout } from "../../app/api/auth/logout/route.ts";
import { POST as setup } from "../../app/api/auth/setup/route.ts";

const getPool = useTestDatabase();
const PASSWORD = "a long enough passphrase";

function name(prefix: string) {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

function loginRequest(username: string, password: string, client = `10.0.0.${Math.floor(Math.random() * 250)}`) {
  return new Request("http://h/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", [CLIENT_HEADER]: client, "user-agent": "vitest" },
    body: JSON.stringify({ username, password }),
  });
}

function cookieSecret(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(set);
  return m?.[1] ?? "";
}

async function auditFor(target: string) {
  const { rows } = await getPool().query(`SELECT actor, action, origin, details FROM audit_events WHERE target = $1 ORDER BY id`, [target]);
  return rows;
}

describe("passwords and accounts", () => {
  it("asks for length, not symbols, and refuses weak or name-bearing passwords", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toMatch(/repeated/);
    expect(passwordProblem("bob-is-my-password", "bob")).toMatch(/user name/);
    expect(passwordProblem("correct horse battery staple")).toBeNull();
  });

  it("stores argon2id hashes, never the password, and refuses duplicates and unknown roles", async () => {
    const username = name("acct");
    const user = await createLocalUser(getPool(), { username, password: PASSWORD, roles: ["auditor", "investigator"], by: "test" });
    expect(user.roles).toEqual(["investigator", "auditor"]);
    const { rows } = await getPool().query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].password_hash).not.toContain(PASSWORD);
    await expect(createLocalUser(getPool(), { username, password: PASSWORD, roles: [], by: "test" })).rejects.toThrow(/already exists/);
    await expect(createLocalUser(getPool(), { username: name("x"), password: PASSWORD, roles: ["root"], by: "test" })).rejects.toThrow(/unknown role "root"/);
    await expect(createLocalUser(getPool(), { username: "bad name!", password: PASSWORD, roles: [], by: "test" })).rejects.toBeInstanceOf(UserError);
  });
});

describe("sign-in, sessions and sign-out", () => {
  let username: string;
  let userId: string;
  beforeAll(async () => {
    username = name("signin");
    userId = (await createLocalUser(getPool(), { username, password: PASSWORD, roles: ["investigator"], by: "test" })).id;
  });

  it("signs in with the right password: httpOnly SameSite cookie, live session, audit entry", async () => {
    const res = await login(loginRequest(username, PASSWORD, "192.0.2.7"));
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).not.toContain("Secure");
    const session = await lookupSession(getPool(), cookieSecret(res));
    expect(session).toMatchObject({ username, roles: ["investigator"], method: "password" });
    expect(session!.csrf).toBe(csrfTokenFor(cookieSecret(res)));
    const audit = await auditFor(userId);
    expect(audit.at(-1)).toMatchObject({ actor: username, action: "auth.sign_in", origin: "192.0.2.7" });
  });

  it("answers one message for a wrong password and an unknown user, and audits both", async () => {
    const wrong = await login(loginRequest(username, "not the right one at all"));
    const unknown = await login(loginRequest(name("ghost"), PASSWORD));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.sign_in_failed' AND target = $1`, [username]);
    expect(rows[0].n).toBe(1);
  });

  it("throttles repeated failures with 429 and Retry-After", async () => {
    const target = name("throttle");
    await createLocalUser(getPool(), { username: target, password: PASSWORD, roles: [], by: "test" });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await login(loginRequest(target, `wrong password number ${i}`, "198.51.100.9"));
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Even the right password waits out the lock.
    expect((await login(loginRequest(target, PASSWORD, "198.51.100.9"))).status).toBe(429);
  });

  it("rejects bad bodies with reasons", async () => {
    const notJson = await login(new Request("http://h/api/auth/login", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }));
    expect(notJson.status).toBe(415);
    const missing = await login(new Request("http://h/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toContain("`username`");
  });

  it("ends sessions on sign-out, disable, and expiry", async () => {
    const res = await login(loginRequest(username, PASSWORD));
    const secret = cookieSecret(res);
    const session = (await lookupSession(getPool(), secret))!;
    const out = await logout(new Request("http://h/api/auth/logout", { method: "POST", headers: { [USER_HEADER]: encodeUser(session) } }));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await lookupSession(getPool(), secret)).toBeNull();

    const again = await createSession(getPool(), userId, { method: "password" });
    expect(await lookupSession(getPool(), again.secret)).not.toBeNull();
    const admin = await createLocalUser(getPool(), { username: name("adm"), password: PASSWORD, roles: ["admin"], by: "test" });
    await updateUser(getPool(), userId, { disabled: true }, admin.id);
    expect(await lookupSession(getPool(), again.secret)).toBeNull();
    await updateUser(getPool(), userId, { disabled: false }, admin.id);

    const idle = await createSession(getPool(), userId, { method: "password" });
    await getPool().query(`UPDATE user_sessions SET last_seen_at = now() - interval '1 day' WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [idle.secret]);
    expect(await lookupSession(getPool(), idle.secret)).toBeNull();
    expect(await lookupSession(getPool(), "not-a-session")).toBeNull();
    expect(await lookupSession(getPool(), "x".repeat(500))).toBeNull();
  });

  it("sees role changes at once and protects an admin from locking themselves out", async () => {
    const s = await createSession(getPool(), userId, { method: "password" });
    const admin = await createLocalUser(getPool(), { username: name("adm"), password: PASSWORD, roles: ["admin"], by: "test" });
    await updateUser(getPool(), userId, { roles: ["auditor"] }, admin.id);
    expect((await lookupSession(getPool(), s.secret))!.roles).toEqual(["auditor"]);
    await expect(updateUser(getPool(), admin.id, { roles: ["auditor"] }, admin.id)).rejects.toThrow(/own admin role/);
    await expect(updateUser(getPool(), admin.id, { disabled: true }, admin.id)).rejects.toThrow(/own account/);
    await revokeSession(getPool(), (await lookupSession(getPool(), s.secret))!.sessionId);
  });
});

describe("first-run set-up", () => {
  const saved = process.env.HINDSIGHT_SETUP_CODE;
  afterAll(() => {
    if (saved === undefined) delete process.env.HINDSIGHT_SETUP_CODE;
    else process.env.HINDSIGHT_SETUP_CODE = saved;
  });

  it("needs the console code and is closed once any user exists", async () => {
    delete process.env.HINDSIGHT_SETUP_CODE;
    await expect(createFirstAdmin(getPool(), { code: "x", username: "first", password: PASSWORD, roles: [] })).rejects.toThrow(/not enabled/);
    process.env.HINDSIGHT_SETUP_CODE = "the-right-code";
    const req = (code: string) =>
      new Request("http://h/api/auth/setup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code, username: name("first"), password: PASSWORD, roles: ["investigator"] }),
      });
    expect((await setup(req("wrong-code"))).status).toBe(403);
    // Other tests in this database already created users, so the right code meets a finished set-up.
    const done = await setup(req("the-right-code"));
    expect(done.status).toBe(409);
    expect((await done.json()).error).toContain("already done");
  });
});

describe("rate limiters", () => {
  it("token bucket: bursts, then Retry-After in whole seconds, refills over time", () => {
    let t = 0;
    const bucket = new TokenBucket(3, 1, () => t);
    expect([bucket.take("a"), bucket.take("a"), bucket.take("a")]).toEqual([0, 0, 0]);
    expect(bucket.take("a")).toBe(1);
    expect(bucket.take("b")).toBe(0);
    t = 2500;
    expect(bucket.take("a")).toBe(0);
    expect(bucket.take("a")).toBe(0);
    expect(bucket.take("a")).toBe(1);
  });

  it("failure limiter: free attempts, then doubling lock-outs, cleared by success", () => {
    let t = 0;
    const limiter = new FailureLimiter(2, 900, 60_000, () => t);
    limiter.fail(["k"]);
    limiter.fail(["k"]);
    expect(limiter.blockedFor(["k"])).toBe(0);
    limiter.fail(["k"]);
    expect(limiter.blockedFor(["k"])).toBe(1);
    limiter.fail(["k"]);
    expect(limiter.blockedFor(["k"])).toBe(2);
    limiter.succeed(["k"]);
    expect(limiter.blockedFor(["k"])).toBe(0);
  });
});
