// hindsight tokens create --name <pdp> | list [--json] | revoke <id|name>
import { parseArgs } from "node:util";
import { createToken, listTokens, revokeToken, validateTokenName } from "../../lib/ingest/tokens.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = "usage: hindsight tokens create --name <pdp> [--json] | hindsight tokens list [--json] | hindsight tokens revoke <id|name>";

const tokens: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { name: { type: "string" }, json: { type: "boolean" } } });
  } catch (err) {
    writeLine(io.stderr, `hindsight tokens: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [sub, target] = positionals;
  if (sub === "create") {
    const problem = values.name === undefined ? "--name is required" : validateTokenName(values.name);
    if (problem) {
      writeLine(io.stderr, `hindsight tokens create: ${problem}\n${USAGE}`);
      return EXIT_USAGE;
    }
    const { token, info } = await withDatabase((pool) => createToken(pool, values.name!));
    if (values.json) writeLine(io.stdout, JSON.stringify({ id: info.id, name: info.name, token }));
    else {
      writeLine(io.stdout, token);
      writeLine(io.stderr, `Created token ${info.id} for "${info.name}". It is shown only now; store it in the PDP's config.`);
    }
    return 0;
  }
  if (sub === "list") {
    const list = await withDatabase((pool) => listTokens(pool));
    if (values.json) writeLine(io.stdout, JSON.stringify(list));
    else
      for (const t of list)
        writeLine(
          io.stdout,
          `${t.id}  ${t.name.padEnd(24)} ${t.prefix}…  created ${t.createdAt.toISOString()}  ${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : "never used"}`,
        );
    return 0;
  }
  if (sub === "revoke" && target) {
    const n = await withDatabase((pool) => revokeToken(pool, target));
    if (n === 0) {
      writeLine(io.stderr, `hindsight tokens revoke: no active token with id or name "${target}"`);
      return 1;
    }
    writeLine(io.stdout, `revoked ${n} token${n === 1 ? "" : "s"}`);
    return 0;
  }
  writeLine(io.stderr, USAGE);
  return EXIT_USAGE;
};

export default tokens;
