// hindsight evidence export (--task <id> | --from <t> --to <t> [filters]) --reason <text> --out <file.zip>
//                          [--include-sensitive <why the raw, unmasked records are needed>]
// hindsight evidence verify <file.zip> [--key <public key PEM file>]   (offline: no database)
// hindsight evidence keys | rotate-key
import { readFile, writeFile } from "node:fs/promises";
import { cliActor } from "../actor.ts";
import { parseArgs } from "node:util";
import { type Command, type CliIO, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = [
  "usage: hindsight evidence export (--task <id> | --from <t> --to <t> [--engine e] [--pdp p] [--principal p] [--agent a]",
  "                                  [--action a] [--kind k] [--effect e] [--policy p]) --reason <text> --out <file.zip>",
  "                                  [--include-sensitive <reason>]   (default: masked bundle; see docs/evidence.md)",
  "       hindsight evidence verify <file.zip> [--key <public key PEM file>]",
  "       hindsight evidence keys",
  "       hindsight evidence rotate-key",
].join("\n");

const FILTER_FLAGS = ["engine", "pdp", "principal", "agent", "action", "kind", "effect", "policy"] as const;

function usageError(io: CliIO, sub: string, message: string): number {
  writeLine(io.stderr, `hindsight evidence${sub ? ` ${sub}` : ""}: ${message}\n${USAGE}`);
  return EXIT_USAGE;
}

/** POSIX shell quoting, so the command line kept in the manifest can be pasted back as it was run. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}


async function exportCommand(args: string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        task: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        reason: { type: "string" },
        out: { type: "string" },
        "include-sensitive": { type: "string" },
        ...Object.fromEntries(FILTER_FLAGS.map((f) => [f, { type: "string" as const }])),
      },
    }));
  } catch (err) {
    return usageError(io, "export", (err as Error).message);
  }
  const v = values as Record<string, string | undefined>;
  if (!v.reason?.trim()) return usageError(io, "export", "--reason is required: say why the evidence is exported (it is recorded)");
  if (!v.out) return usageError(io, "export", "--out <file.zip> is required");
  const sensitiveReason = v["include-sensitive"];
  if (sensitiveReason !== undefined && sensitiveReason.trim().length < 10) {
    return usageError(io, "export", "--include-sensitive needs a reason of at least 10 characters: why the bundle must carry the raw, unmasked records (it is recorded)");
  }
  const filters = Object.fromEntries(FILTER_FLAGS.filter((f) => v[f] !== undefined).map((f) => [f, v[f]!]));
  let scope: unknown;
  if (v.task !== undefined) {
    if (v.from || v.to || Object.keys(filters).length) return usageError(io, "export", "--task selects a whole task; do not combine it with --from/--to or filters");
    scope = { type: "task", taskId: v.task };
  } else if (v.from && v.to) {
    scope = { type: "timeRange", from: v.from, to: v.to, filters };
  } else {
    return usageError(io, "export", "give --task <id>, or both --from and --to");
  }
  const { exportEvidence } = await import("../../lib/evidence/export.ts");
  const { withDatabase } = await import("../db-session.ts");
  try {
    const result = await withDatabase((pool) =>
      exportEvidence(pool, {
        scope,
        reason: v.reason!,
        actor: cliActor(),
        origin: "cli",
        commandLine: ["hindsight", "evidence", "export", ...args].map(shellQuote).join(" "),
        ...(sensitiveReason !== undefined ? { includeSensitive: true, sensitiveReason } : {}),
      }),
    );
    await writeFile(v.out, result.zip);
    const m = result.manifest;
    writeLine(io.stdout, `wrote ${v.out} (${result.zip.byteLength} bytes)`);
    writeLine(io.stdout, `bundle ${m.bundleId}: ${m.counts.records} records, ${m.counts.hops} decisions; ${m.gaps.timeGaps.length} time gap(s), ${m.counts.conflicts} conflicting record(s)`);
    writeLine(
      io.stdout,
      m.masking?.mode === "sensitive-included"
        ? "sensitive data: INCLUDED (raw records, unmasked tables); the reason is in the manifest and the audit trail"
        : `sensitive data: masked; ${m.masking?.withheldRecords ?? 0} record(s) withheld (proven by leaf hash, masked copies under records-masked/)`,
    );
    writeLine(io.stdout, `checkpoint: tree size ${m.checkpoint.treeSize}, root ${m.checkpoint.rootHash}`);
    writeLine(io.stdout, `signed by key ${m.signingKey.keyId}, fingerprint ${m.signingKey.fingerprint}`);
    writeLine(io.stdout, `manifest sha256 ${result.manifestSha256}; recorded as audit event ${result.auditEventId}`);
    return 0;
  } catch (err) {
    writeLine(io.stderr, `hindsight evidence export: ${(err as Error).message}`);
    return 1;
  }
}

async function verifyCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { key: { type: "string" } } });
  } catch (err) {
    return usageError(io, "verify", (err as Error).message);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) return usageError(io, "verify", "give exactly one bundle file");
  let zip: Buffer;
  let pinnedKeyPem: string | undefined;
  try {
    zip = await readFile(file);
    if (parsed.values.key) pinnedKeyPem = await readFile(parsed.values.key, "utf8");
  } catch (err) {
    writeLine(io.stderr, `hindsight evidence verify: ${(err as Error).message}`);
    return 1;
  }
  // Only the pure verifier is loaded: verification needs no database and must work on any machine.
  const { verifyEvidenceBundle } = await import("../../lib/evidence/verify.ts");
  const outcome = verifyEvidenceBundle(zip, { pinnedKeyPem });
  writeLine(io.stdout, `Verifying ${file}`);
  for (const line of outcome.passed) writeLine(io.stdout, `  ok  ${line}`);
  if (!outcome.ok) {
    writeLine(io.stdout, `FAIL: ${outcome.failure}`);
    return 1;
  }
  writeLine(io.stdout, "OK: bundle verified");
  return 0;
}

async function keysCommand(rotate: boolean, io: CliIO): Promise<number> {
  const { listSigningKeys, rotateSigningKey } = await import("../../lib/evidence/signing-keys.ts");
  const { recordAuditEvent } = await import("../../lib/audit/trail.ts");
  const { withDatabase } = await import("../db-session.ts");
  try {
    await withDatabase(async (pool) => {
      if (rotate) {
        const { retired, active } = await rotateSigningKey(pool);
        await recordAuditEvent(pool, { actor: cliActor(), action: "evidence.rotate-key", target: active.keyId, origin: "cli", details: { retired, fingerprint: active.fingerprint } });
        writeLine(io.stdout, `new signing key ${active.keyId}, fingerprint ${active.fingerprint}${retired.length ? `; retired ${retired.join(", ")}` : ""}`);
        return;
      }
      const keys = await listSigningKeys(pool);
      if (keys.length === 0) writeLine(io.stderr, "no signing keys yet (the first export creates one)");
      for (const k of keys) {
        writeLine(io.stdout, `${k.keyId}  ${k.fingerprint}  created ${k.createdAt.toISOString()}  ${k.retiredAt ? `retired ${k.retiredAt.toISOString()}` : "active"}`);
      }
    });
    return 0;
  } catch (err) {
    writeLine(io.stderr, `hindsight evidence ${rotate ? "rotate-key" : "keys"}: ${(err as Error).message}`);
    return 1;
  }
}

const evidence: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === "export") return exportCommand(rest, io);
  if (sub === "verify") return verifyCommand(rest, io);
  if (sub === "keys" && rest.length === 0) return keysCommand(false, io);
  if (sub === "rotate-key" && rest.length === 0) return keysCommand(true, io);
  if (sub === "--help" || sub === "-h") {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  return usageError(io, "", sub ? `unknown subcommand "${sub}"` : "missing subcommand");
};

export default evidence;
