// hindsight tokens create --name <pdp> [--endpoint opa|cerbos ...] [--pdp <id>] [--json] | list [--json] | revoke <id|name>
// Creating and revoking are recorded in the audit trail as cli:<os user>@<host> (never the secret).
import { parseArgs } from "node:util";
import { recordAuditEvent } from "../../lib/audit/trail.ts";
import {
  createToken,
  INGEST_ENDPOINTS,
  listTokens,
  parseEndpoints,
  revokeTokens,
  TokenError,
  validatePdpName,
  validateTokenName,
} from "../../lib/ingest/tokens.ts";
import { cliActor } from "../actor.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = `usage: hindsight tokens create --name <pdp> [--endpoint ${INGEST_ENDPOINTS.join("|")} ...] [--pdp <id>] [--json]
       hindsight tokens list [--json]
       hindsight tokens revoke <id|name>
--endpoint (repeatable) limits the token to those ingest endpoints (default: both);
--pdp names the PDP instance of the Cerbos records it brings (default: --name).`;

/** The usage problem with `create`'s options, or null. */
function createProblem(values: { name?: string; endpoint?: string[]; pdp?: string }): string | null {
  if (values.name === undefined) return "--name is required";
  const nameProblem = validateTokenName(values.name);
  if (nameProblem) return nameProblem;
  if (values.pdp !== undefined) {
    const pdpProblem = validatePdpName(values.pdp);
    if (pdpProblem) return `--pdp: ${pdpProblem}`;
  }
  try {
    parseEndpoints(values.endpoint);
  } catch (err) {
    return `--endpoint: ${(err as Error).message}`;
  }
  return null;
}

const tokens: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        endpoint: { type: "string", multiple: true },
        pdp: { type: "string" },
        json: { type: "boolean" },
      },
    });
  } catch (err) {
    writeLine(io.stderr, `hindsight tokens: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [sub, target] = positionals;
  const actor = cliActor();
  if (sub === "create") {
    const problem = createProblem(values);
    if (problem) {
      writeLine(io.stderr, `hindsight tokens create: ${problem}\n${USAGE}`);
      return EXIT_USAGE;
    }
    let created;
    try {
      created = await withDatabase(async (pool) => {
        const result = await createToken(pool, values.name!, { endpoints: values.endpoint, pdp: values.pdp, createdBy: actor });
        const { info } = result;
        await recordAuditEvent(pool, {
          actor,
          action: "token.create",
          target: info.id,
          origin: "cli",
          details: { name: info.name, prefix: info.prefix, endpoints: info.endpoints, pdp: info.pdp },
        });
        return result;
      });
    } catch (err) {
      if (err instanceof TokenError) {
        writeLine(io.stderr, `hindsight tokens create: ${err.message}`);
        return EXIT_USAGE;
      }
      throw err;
    }
    const { token, info } = created;
    if (values.json) {
      writeLine(io.stdout, JSON.stringify({ id: info.id, name: info.name, token, endpoints: info.endpoints, pdp: info.pdp, createdBy: info.createdBy }));
    } else {
      writeLine(io.stdout, token);
      writeLine(
        io.stderr,
        `Created token ${info.id} for "${info.name}" (endpoints: ${info.endpoints.join(", ")}; PDP instance: ${info.pdp}). It is shown only now; store it in the PDP's config.`,
      );
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
          `${t.id}  ${t.name.padEnd(24)} ${t.prefix}…  ${t.endpoints.join("+").padEnd(10)} pdp=${t.pdp}  created ${t.createdAt.toISOString()}${t.createdBy ? ` by ${t.createdBy}` : ""}  ${t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : "never used"}`,
        );
    return 0;
  }
  if (sub === "revoke" && target) {
    const revoked = await withDatabase(async (pool) => {
      const list = await revokeTokens(pool, target);
      for (const t of list) {
        await recordAuditEvent(pool, { actor, action: "token.revoke", target: t.id, origin: "cli", details: { name: t.name, prefix: t.prefix } });
      }
      return list;
    });
    if (revoked.length === 0) {
      writeLine(io.stderr, `hindsight tokens revoke: no active token with id or name "${target}"`);
      return 1;
    }
    writeLine(io.stdout, `revoked ${revoked.length} token${revoked.length === 1 ? "" : "s"}`);
    return 0;
  }
  writeLine(io.stderr, USAGE);
  return EXIT_USAGE;
};

export default tokens;
