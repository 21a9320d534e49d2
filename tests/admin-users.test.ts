// Integration: the user-administration API (POST /api/admin/users, PATCH /api/admin/users/[id]) and the
// own-password change (POST /api/account/password), called as the proxy hands requests to them.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createUser } from "../app/api/admin/users/route.ts";
import { PATCH as patchUser } from "../app/api/admin/users/[id]/route.ts";
import { POST as changePassword } from "../app/api/account/password/route.ts";
import { createSession } from "../lib/auth/sessions.ts";
import { findForSignIn } from "../lib/auth/users.ts";
import { verifyPassword } from "../lib/auth/passwords.ts";
import { activeSessions, auditFor, CLIENT, makeActor, params, PASSWORD, request, uniqueName, type Actor } from "./admin-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
let admin: Actor;

beforeAll(async () => {
  admin = await makeActor(getPool(), ["admin"]);
});

const patch = (actor: Actor, id: string, body: unknown) => patchUser(request(actor, "PATCH", `/api/admin/users/${id}`, body), params({ id }));

async function created(username: string, roles: string[] = ["investigator"]) {
  const res = await createUser(request(admin, "POST", "/api/admin/users", { username, displayName: "Test Person", roles, password: PASSWORD }));
  expect(res.status).toBe(201);
  return (await res.json()).user as { id: string; username: string; roles: string[]; createdBy: string; local: boolean; displayName: string };
}

describe("POST /api/admin/users", () => {
  it("creates a local user with the admin as creator and records user.create without the password", async () => {
    const username = uniqueName("ivy");
    const user = await created(username, ["auditor", "investigator"]);
    expect(user).toMatchObject({ username, roles: ["investigator", "auditor"], createdBy: admin.user.username, local: true, displayName: "Test Person" });
    const stored = await findForSignIn(getPool(), username);
    expect(await verifyPassword(stored!.passwordHash, PASSWORD)).toBe(true);
    const events = await auditFor(getPool(), user.id);
    expect(events).toEqual([
      {
        actor: admin.user.username,
        action: "user.create",
        target: user.id,
        origin: CLIENT,
        details: { username, roles: ["investigator", "auditor"], userAgent: "admin-test/1.0" },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it("answers bad input with an error naming the field or the problem", async () => {
    const name = uniqueName("bad");
    const cases: [unknown, number, RegExp][] = [
      [{ username: name, roles: ["wizard"], password: PASSWORD }, 400, /unknown role "wizard"/],
      [{ username: name, roles: ["investigator"], password: "short" }, 400, /at least 12 characters/],
      [{ username: "has space", roles: [], password: PASSWORD }, 400, /user name may contain/],
      [{ username: name, roles: "admin", password: PASSWORD }, 400, /`roles`/],
      [{ username: name, roles: [], password: PASSWORD, isAdmin: true }, 400, /isAdmin/],
      [{ roles: [], password: PASSWORD }, 400, /`username`/],
      [{ username: admin.user.username, roles: [], password: PASSWORD }, 409, /already exists/],
    ];
    for (const [body, status, message] of cases) {
      const res = await createUser(request(admin, "POST", "/api/admin/users", body));
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json()).error).toMatch(message);
    }
    const notJson = await createUser(new Request("http://localhost/api/admin/users", { method: "POST", body: "x" }));
    expect(notJson.status).toBe(415);
  });
});

describe("PATCH /api/admin/users/[id]", () => {
  it("changes roles and display name as one user.update event with from and to", async () => {
    const user = await created(uniqueName("rolf"));
    const res = await patch(admin, user.id, { roles: ["policy_owner", "investigator"], displayName: "Rolf" });
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ roles: ["investigator", "policy_owner"], displayName: "Rolf" });
    const [, update] = await auditFor(getPool(), user.id);
    expect(update).toMatchObject({
      actor: admin.user.username,
      action: "user.update",
      details: { username: user.username, from: ["investigator"], to: ["investigator", "policy_owner"], displayNameFrom: "Test Person", displayNameTo: "Rolf" },
    });
    // Setting the same roles again changes nothing and records nothing.
    expect((await patch(admin, user.id, { roles: ["investigator", "policy_owner"] })).status).toBe(200);
    expect(await auditFor(getPool(), user.id)).toHaveLength(2);
  });

  it("disables (ending the user's sessions) and enables, each audited", async () => {
    const user = await created(uniqueName("dora"));
    await createSession(getPool(), user.id, { method: "password" });
    expect(await activeSessions(getPool(), user.id)).toBe(1);
    const off = await patch(admin, user.id, { disabled: true });
    expect(off.status).toBe(200);
    expect((await off.json()).user.disabledAt).toEqual(expect.any(String));
    expect(await activeSessions(getPool(), user.id)).toBe(0);
    expect(await findForSignIn(getPool(), user.username)).toBeNull();
    const on = await patch(admin, user.id, { disabled: false });
    expect((await on.json()).user.disabledAt).toBeNull();
    expect((await auditFor(getPool(), user.id)).map((e) => [e.actor, e.action])).toEqual([
      [admin.user.username, "user.create"],
      [admin.user.username, "user.disable"],
      [admin.user.username, "user.enable"],
    ]);
  });

  it("resets a password (ending sessions) and records user.reset_password without it", async () => {
    const user = await created(uniqueName("pam"));
    await createSession(getPool(), user.id, { method: "password" });
    const fresh = "a brand new long passphrase";
    const res = await patch(admin, user.id, { password: fresh });
    expect(res.status).toBe(200);
    expect(await verifyPassword((await findForSignIn(getPool(), user.username))!.passwordHash, fresh)).toBe(true);
    expect(await activeSessions(getPool(), user.id)).toBe(0);
    const events = await auditFor(getPool(), user.id);
    expect(events.at(-1)).toMatchObject({ action: "user.reset_password", actor: admin.user.username, details: { username: user.username } });
    expect(JSON.stringify(events)).not.toContain(fresh);
    const weak = await patch(admin, user.id, { password: "tiny" });
    expect(weak.status).toBe(400);
    expect((await weak.json()).error).toMatch(/at least 12/);
  });

  it("will not let admins remove their own admin role or disable themselves", async () => {
    const self = await makeActor(getPool(), ["admin", "auditor"]);
    const demote = await patch(self, self.user.id, { roles: ["auditor"] });
    expect(demote.status).toBe(409);
    expect((await demote.json()).error).toMatch(/your own admin role/);
    const disable = await patch(self, self.user.id, { disabled: true });
    expect(disable.status).toBe(409);
    expect((await disable.json()).error).toMatch(/disable your own account/);
    // Other changes to oneself are fine, and another admin may demote them.
    expect((await patch(self, self.user.id, { roles: ["admin"] })).status).toBe(200);
    expect((await patch(admin, self.user.id, { roles: ["auditor"] })).status).toBe(200);
    expect(await auditFor(getPool(), self.user.id)).toEqual([
      expect.objectContaining({ actor: self.user.username, action: "user.update", details: expect.objectContaining({ from: ["auditor", "admin"], to: ["admin"] }) }),
      expect.objectContaining({ actor: admin.user.username, action: "user.update", details: expect.objectContaining({ from: ["admin"], to: ["auditor"] }) }),
    ]);
  });

  it("refuses a password for an OpenID Connect account, unknown ids, empty and unknown changes", async () => {
    const { rows } = await getPool().query(
      `INSERT INTO users (id, username, roles, oidc_issuer, oidc_subject, created_by) VALUES (gen_random_uuid(), $1, '{investigator}', 'https://idp.example', $1, 'test') RETURNING id`,
      [uniqueName("oidc")],
    );
    const oidc = await patch(admin, rows[0].id, { password: "a brand new long passphrase" });
    expect(oidc.status).toBe(409);
    expect((await oidc.json()).error).toMatch(/OpenID Connect/);
    expect((await patch(admin, "00000000-0000-0000-0000-000000000000", { disabled: true })).status).toBe(404);
    expect((await patch(admin, "not-a-uuid", { disabled: true })).status).toBe(404);
    const empty = await patch(admin, rows[0].id, {});
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/nothing to change/);
    const unknown = await patch(admin, rows[0].id, { role: ["admin"] });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/role/);
    const typed = await patch(admin, rows[0].id, { disabled: "yes" });
    expect((await typed.json()).error).toMatch(/`disabled` must be true or false/);
  });
});

describe("POST /api/account/password", () => {
  it("checks the current password, keeps this session, ends the others and records user.change_password", async () => {
    const me = await makeActor(getPool(), ["investigator"], "self");
    await createSession(getPool(), me.user.id, { method: "password" });
    expect(await activeSessions(getPool(), me.user.id)).toBe(2);
    const fresh = "another long passphrase here";

    const wrong = await changePassword(request(me, "POST", "/api/account/password", { currentPassword: "not my password", newPassword: fresh }));
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error).toMatch(/current password is wrong/);
    const weak = await changePassword(request(me, "POST", "/api/account/password", { currentPassword: PASSWORD, newPassword: "short" }));
    expect(weak.status).toBe(400);
    expect((await weak.json()).error).toMatch(/at least 12/);
    const same = await changePassword(request(me, "POST", "/api/account/password", { currentPassword: PASSWORD, newPassword: PASSWORD }));
    expect((await same.json()).error).toMatch(/same as the current/);

    const ok = await changePassword(request(me, "POST", "/api/account/password", { currentPassword: PASSWORD, newPassword: fresh }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ otherSessionsEnded: 1 });
    const { rows } = await getPool().query(`SELECT id FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL`, [me.user.id]);
    expect(rows.map((r) => r.id)).toEqual([me.session.sessionId]);
    expect(await verifyPassword((await findForSignIn(getPool(), me.user.username))!.passwordHash, fresh)).toBe(true);

    const events = await auditFor(getPool(), me.user.id);
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      [me.user.username, "user.change_password_failed"],
      [me.user.username, "user.change_password"],
    ]);
    expect(events[1].details).toMatchObject({ username: me.user.username, otherSessionsEnded: 1 });
    expect(JSON.stringify(events)).not.toContain(fresh);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it("tells OpenID Connect users they have no password here, and refuses requests without a user", async () => {
    const { rows } = await getPool().query(
      `INSERT INTO users (id, username, roles, oidc_issuer, oidc_subject) VALUES (gen_random_uuid(), $1, '{auditor}', 'https://idp.example', $1) RETURNING id, username`,
      [uniqueName("oidc-self")],
    );
    const oidc: Actor = {
      user: { id: rows[0].id, username: rows[0].username } as Actor["user"],
      session: { sessionId: "00000000-0000-0000-0000-000000000001", userId: rows[0].id, username: rows[0].username, displayName: null, roles: ["auditor"], method: "oidc", csrf: "x" },
    };
    const res = await changePassword(request(oidc, "POST", "/api/account/password", { currentPassword: "whatever it is", newPassword: "another long passphrase here" }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/OpenID Connect \(https:\/\/idp.example\)/);
    const anonymous = await changePassword(request(null, "POST", "/api/account/password", { currentPassword: "a", newPassword: "b" }));
    expect(anonymous.status).toBe(401);
  });
});
