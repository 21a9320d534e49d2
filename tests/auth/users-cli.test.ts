// The operator's `hindsight users` CLI against the real database: passwords only on stdin, exit codes,
// changes audited as cli:<os user>@<host>, and the accounts it makes can sign in.
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../bin/cli.ts";
import { cliActor } from "../../bin/actor.ts";
import { findForSignIn } from "../../lib/auth/users.ts";
import { verifyPassword } from "../../lib/auth/passwords.ts";
import { useTestDatabase } from "../setup/db.ts";

const getPool = useTestDatabase();

async function cli(args: string[], stdin = "") {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  let out = "";
  let err = "";
  io.stdout.on("data", (d: Buffer) => (out += d.toString()));
  io.stderr.on("data", (d: Buffer) => (err += d.toString()));
  io.stdin.end(stdin);
  const code = await main(args, io);
  return { code, out, err };
}

describe("hindsight users", () => {
  const name = `cli-${randomUUID().slice(0, 8)}`;

  it("adds a local account from a password on stdin, and it can sign in", async () => {
    const r = await cli(["users", "add", name, "--role", "admin", "--role", "investigator", "--display-name", "CLI Person", "--password-stdin"], "a long cli passphrase\n");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`created user ${name} (investigator, admin)`);
    const user = await findForSignIn(getPool(), name);
    expect(await verifyPassword(user!.passwordHash, "a long cli passphrase")).toBe(true);
    const { rows } = await getPool().query(`SELECT actor, action, origin FROM audit_events WHERE target = $1`, [user!.id]);
    expect(rows).toEqual([{ actor: cliActor(), action: "user.create", origin: "cli" }]);
  });

  it("lists, changes roles, disables and enables, each audited", async () => {
    const list = await cli(["users", "list", "--json"]);
    expect(JSON.parse(list.out).find((u: { username: string }) => u.username === name)).toMatchObject({ roles: ["investigator", "admin"], local: true });
    expect((await cli(["users", "set-roles", name, "--role", "auditor"])).out).toContain("now has auditor");
    expect((await cli(["users", "disable", name])).code).toBe(0);
    expect(await findForSignIn(getPool(), name)).toBeNull();
    expect((await cli(["users", "enable", name])).code).toBe(0);
    const { rows } = await getPool().query(
      `SELECT action FROM audit_events WHERE details->>'username' = $1 ORDER BY id`,
      [name],
    );
    expect(rows.map((r) => r.action)).toEqual(["user.create", "user.update", "user.disable", "user.enable"]);
  });

  it("refuses passwords as arguments, weak passwords, unknown roles and users with clear messages", async () => {
    const noStdin = await cli(["users", "add", "x-user", "--role", "admin"]);
    expect(noStdin.code).toBe(2);
    expect(noStdin.err).toContain("--password-stdin is required");
    const weak = await cli(["users", "add", `w-${randomUUID().slice(0, 6)}`, "--role", "admin", "--password-stdin"], "short");
    expect(weak.code).toBe(1);
    expect(weak.err).toContain("at least 12 characters");
    const badRole = await cli(["users", "add", `r-${randomUUID().slice(0, 6)}`, "--role", "superuser", "--password-stdin"], "a long cli passphrase");
    expect(badRole.code).toBe(1);
    expect(badRole.err).toContain('unknown role "superuser"');
    const missing = await cli(["users", "disable", "nobody-by-this-name"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no user named "nobody-by-this-name"');
    expect((await cli(["users"])).code).toBe(2);
  });
});
