// hindsight users add <name> --role <role> [--role …] [--display-name <text>] --password-stdin
//                  | list [--json] | set-roles <name> --role <role> [--role …] | disable <name> | enable <name>
//                  | reset-password <name> --password-stdin
// For the machine's operator: creates the first admin without the web set-up, or recovers a locked-out
// install. Every change is recorded in the audit trail as cli:<os user>@<host>, with the same action
// names as the admin pages (user.create, user.update with from/to roles, user.disable, user.enable,
// user.reset_password).
import { parseArgs } from "node:util";
import type pg from "pg";
import { recordAuditEvent } from "../../lib/audit/trail.ts";
import { ROLES } from "../../lib/auth/roles.ts";
import { createLocalUser, listUsers, updateUser, UserError, type UserInfo } from "../../lib/auth/users.ts";
import { cliActor } from "../actor.ts";
import { withDatabase } from "../db-session.ts";
import { type CliIO, type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = `usage: hindsight users add <name> --role <role> [--role …] [--display-name <text>] --password-stdin
       hindsight users list [--json]
       hindsight users set-roles <name> --role <role> [--role …]
       hindsight users disable <name> | enable <name>
       hindsight users reset-password <name> --password-stdin
roles: ${ROLES.join(", ")}`;

async function readPassword(io: CliIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function byName(pool: pg.Pool, name: string): Promise<UserInfo> {
  const user = (await listUsers(pool)).find((u) => u.username === name);
  if (!user) throw new UserError(`no user named "${name}"`, 404);
  return user;
}

const users: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        role: { type: "string", multiple: true },
        "display-name": { type: "string" },
        "password-stdin": { type: "boolean" },
        json: { type: "boolean" },
      },
    });
  } catch (err) {
    writeLine(io.stderr, `hindsight users: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [sub, name] = positionals;
  const actor = cliActor();
  const needsName = ["add", "set-roles", "disable", "enable", "reset-password"].includes(sub ?? "");
  if (!sub || (needsName && !name) || (!needsName && sub !== "list")) {
    writeLine(io.stderr, USAGE);
    return EXIT_USAGE;
  }
  if ((sub === "add" || sub === "reset-password") && !values["password-stdin"]) {
    writeLine(io.stderr, `hindsight users ${sub}: --password-stdin is required (passwords are never taken as arguments)\n${USAGE}`);
    return EXIT_USAGE;
  }
  if ((sub === "add" || sub === "set-roles") && !values.role?.length) {
    writeLine(io.stderr, `hindsight users ${sub}: give at least one --role (${ROLES.join(", ")})\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    if (sub === "list") {
      const list = await withDatabase((pool) => listUsers(pool));
      if (values.json) writeLine(io.stdout, JSON.stringify(list));
      else
        for (const u of list)
          writeLine(io.stdout, `${u.username.padEnd(24)} ${(u.roles.join(",") || "(no roles)").padEnd(44)} ${u.local ? "local" : "oidc "} ${u.disabledAt ? "disabled" : "active"}`);
      return 0;
    }
    const password = sub === "add" || sub === "reset-password" ? await readPassword(io) : undefined;
    const result = await withDatabase(async (pool) => {
      if (sub === "add") {
        const user = await createLocalUser(pool, { username: name!, password: password!, roles: values.role, displayName: values["display-name"], by: actor });
        await recordAuditEvent(pool, { actor, action: "user.create", target: user.id, origin: "cli", details: { username: user.username, roles: user.roles } });
        return `created user ${user.username} (${user.roles.join(", ")})`;
      }
      const user = await byName(pool, name!);
      const change =
        sub === "set-roles" ? { roles: values.role } : sub === "disable" ? { disabled: true } : sub === "enable" ? { disabled: false } : { password };
      const updated = await updateUser(pool, user.id, change);
      const details: Record<string, unknown> = { username: updated.username };
      if (sub === "set-roles") Object.assign(details, { from: user.roles, to: updated.roles });
      await recordAuditEvent(pool, { actor, action: sub === "set-roles" ? "user.update" : `user.${sub.replace("-", "_")}`, target: user.id, origin: "cli", details });
      return `${sub}: ${updated.username}${sub === "set-roles" ? ` now has ${updated.roles.join(", ")}` : ""}`;
    });
    writeLine(io.stdout, result);
    return 0;
  } catch (err) {
    if (err instanceof UserError) {
      writeLine(io.stderr, `hindsight users ${sub}: ${err.message}`);
      return 1;
    }
    throw err;
  }
};

export default users;
