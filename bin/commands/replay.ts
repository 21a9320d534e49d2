// hindsight replay --policies <dir> --log <decision-log file> [--now <RFC3339>] [--json]
// hindsight replay --git <repo path or bundle> [--subdir <dir>] [--at <commit>] --log <decision-log file> [--now <RFC3339>] [--json]
// Replays every Cerbos CheckResources decision in the log (access entries skipped) with the
// logged inputs (decoded JWT claims included) and the entry's timestamp as now().
// With --git each entry is replayed against the commit resolved from the entry (policySource hash,
// commit_hash, else the commit preceding it; lib/policies) or against --at for all; its lines also
// carry `version` (the commit used) and `resolvedBy`; entries that cannot be replayed get `error`. When the
// resolved commit does not compile, the last compiling commit before it is used, as the PDP does, and
// the line says so with `compileFallbackFrom` (the commit the entry named).
// stdout: one NDJSON line per (entry, input); stderr: a summary. Exit 0 even with mismatches.
import { parseArgs } from "node:util";
import { parseDecisionLog } from "../../lib/formats/index.ts";
import { readInputFile } from "../../lib/formats/read.ts";
import type { CerbosPolicySet, CheckInput, EngineConfig } from "../../lib/engine/cerbos/index.ts";
import { compileCerbosDirectory } from "../../lib/engine/cerbos/index.ts";
import { engineOptions, formatCompileErrors, parseEngineOptions, parseNow } from "../../lib/engine/cerbos/cli-options.ts";
import { GitPolicyHistory } from "../../lib/policies/git-history.ts";
import type { ResolvedBy } from "../../lib/policies/types.ts";
import type { GitCommit } from "../../lib/policies/git.ts";
import { checkResourcesOf, toCheckInput } from "../../lib/replay/cerbos-inputs.ts";
import { type CliIO, type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE =
  "usage: hindsight replay (--policies <dir> | --git <repo path or bundle> [--subdir <dir>] [--at <commit>]) --log <decision-log file> [--now <RFC3339>] [--json] [--strict-evaluation] [--lenient-scope-search]";

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}


const replay: Command = async (args, io) => {
  let values;
  try {
    values = parseArgs({
      args,
      options: { policies: { type: "string" }, git: { type: "string" }, subdir: { type: "string" }, at: { type: "string" }, log: { type: "string" }, now: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" }, ...engineOptions },
    }).values;
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (!values.policies === !values.git || !values.log) {
    writeLine(io.stderr, `hindsight replay: --log and exactly one of --policies or --git are required\n${USAGE}`);
    return EXIT_USAGE;
  }
  if ((values.at !== undefined || values.subdir !== undefined) && !values.git) {
    writeLine(io.stderr, `hindsight replay: --at and --subdir apply to --git only\n${USAGE}`);
    return EXIT_USAGE;
  }
  const fixedNow = values.now === undefined ? undefined : parseNow(values.now);
  if (values.now !== undefined && !fixedNow) {
    writeLine(io.stderr, `hindsight replay: --now must be an RFC 3339 timestamp, got "${values.now}"`);
    return EXIT_USAGE;
  }
  let config: Partial<EngineConfig>;
  try {
    config = parseEngineOptions(values);
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  if (values.git) return replayFromGit(values.git, values.log, values, config, fixedNow, io);
  let compiled;
  try {
    compiled = compileCerbosDirectory(values.policies!, config);
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: cannot read policies: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  if (!compiled.ok) {
    writeLine(io.stderr, formatCompileErrors(compiled.errors));
    return EXIT_USAGE;
  }
  const policySet = compiled.policySet!;
  return replayLog(values.log, values.json === true, fixedNow, io, async () => ({ policySet }));
};

/** The policy set to replay one entry with, plus fields for its output lines; or why it cannot be replayed. */
type PickedPolicySet = { policySet: CerbosPolicySet; extra?: Json } | { error: string; extra: Json };

async function replayLog(
  logPath: string,
  json: boolean,
  fixedNow: Date | undefined,
  io: CliIO,
  pick: (entry: Json, decidedAt: Date) => Promise<PickedPolicySet>,
  perEntryVersions = false,
): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readInputFile(logPath);
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: cannot read log: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  const parsed = parseDecisionLog(bytes, { hint: "cerbos" });
  const summary = { entries: 0, inputs: 0, actions: 0, matches: 0, mismatches: 0, mismatchedInputs: 0, skippedEntries: 0, rejectedLines: parsed.rejected.length };
  const versions: Record<string, number> = {};
  let unreplayedEntries = 0;
  for (const rec of parsed.records) {
    if (rec.engine !== "cerbos" || rec.kind !== "decision") continue;
    const cr = checkResourcesOf(rec.entry as Json);
    if (!cr) {
      summary.skippedEntries++; // PlanResources: nothing to replay as a check
      continue;
    }
    summary.entries++;
    const callId = typeof rec.entry.callId === "string" ? rec.entry.callId : rec.recordKey;
    const inputs = cr.inputs.map(toCheckInput);
    const usable = inputs.filter((i): i is CheckInput => i !== undefined);
    const picked = await pick(rec.entry as Json, rec.decidedAt);
    if (typeof picked.extra?.version === "string") versions[picked.extra.version] = (versions[picked.extra.version] ?? 0) + 1;
    const recordedOf = (inputIndex: number) => {
      const recordedActions = asObject(asObject(cr.outputs[inputIndex])?.actions) ?? {};
      const recorded: Record<string, string> = {};
      for (const [a, v] of Object.entries(recordedActions)) recorded[a] = String(asObject(v)?.effect ?? "EFFECT_DENY");
      return recorded;
    };
    if ("error" in picked) {
      unreplayedEntries++;
      inputs.forEach((input, inputIndex) => {
        if (!input) return;
        const line = { callId, inputIndex, requestId: input.requestId, resourceId: input.resource.id, recorded: recordedOf(inputIndex), replayed: null, match: false, ...picked.extra, error: picked.error };
        writeLine(io.stdout, JSON.stringify(line));
      });
      continue;
    }
    const outputs = picked.policySet.evaluate(usable, { now: fixedNow ?? rec.decidedAt });
    let u = 0;
    inputs.forEach((input, inputIndex) => {
      if (!input) return;
      const out = outputs[u++]!;
      const recorded = recordedOf(inputIndex);
      const replayed: Record<string, string> = {};
      for (const a of input.actions) replayed[a] = out.actions[a]!.effect;
      let match = true;
      for (const a of input.actions) {
        summary.actions++;
        if (recorded[a] === replayed[a]) summary.matches++;
        else {
          summary.mismatches++;
          match = false;
        }
      }
      summary.inputs++;
      if (!match) summary.mismatchedInputs++;
      writeLine(io.stdout, JSON.stringify({ callId, inputIndex, requestId: input.requestId, resourceId: input.resource.id, recorded, replayed, match, ...picked.extra }));
    });
  }
  for (const r of parsed.rejected.slice(0, 20)) writeLine(io.stderr, `hindsight replay: skipped ${r.reason}`);
  if (json) writeLine(io.stderr, JSON.stringify(perEntryVersions ? { ...summary, unreplayedEntries, versions } : summary));
  else {
    writeLine(
      io.stderr,
      `replayed ${summary.entries} entries, ${summary.inputs} inputs, ${summary.actions} actions: ${summary.matches} match, ${summary.mismatches} mismatch` +
        ` (${summary.mismatchedInputs} inputs differ; ${summary.skippedEntries} non-check entries skipped; ${summary.rejectedLines} unreadable lines` +
        (perEntryVersions ? `; ${unreplayedEntries} entries not replayed; ${Object.keys(versions).length} versions used)` : ")"),
    );
  }
  return 0;
}

/** --git: each entry against the commit resolved from it (or --at), each snapshot compiled once, lazily. */
async function replayFromGit(
  gitPath: string,
  logPath: string,
  values: { at?: string; subdir?: string; json?: boolean },
  config: Partial<EngineConfig>,
  fixedNow: Date | undefined,
  io: CliIO,
): Promise<number> {
  let history: GitPolicyHistory;
  try {
    history = await GitPolicyHistory.open(gitPath, { subdir: values.subdir });
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: cannot read git history: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  try {
    let at: { commit: GitCommit; resolvedBy: ResolvedBy } | undefined;
    if (values.at !== undefined) {
      try {
        at = { commit: await history.revParse(values.at), resolvedBy: "--at" };
      } catch (err) {
        writeLine(io.stderr, `hindsight replay: --at: ${(err as Error).message}`);
        return EXIT_USAGE;
      }
      const compiledAt = await history.policySetAt(at.commit, config);
      if (!compiledAt.ok) {
        writeLine(io.stderr, `hindsight replay: the policies at ${at.commit.hash} do not compile\n${formatCompileErrors(compiledAt.errors)}`);
        return EXIT_USAGE;
      }
    }
    return await replayLog(
      logPath,
      values.json === true,
      fixedNow,
      io,
      async (entry, decidedAt) => {
        const resolved = at ?? (await history.resolve(entry, decidedAt));
        if (!resolved) return { error: "no policy version for this entry: it names no known commit and precedes the first policy commit", extra: { version: null, resolvedBy: null } };
        const extra = { version: resolved.commit.hash, resolvedBy: resolved.resolvedBy };
        const compiledAt = await history.policySetAt(resolved.commit, config);
        if (compiledAt.ok) return { policySet: compiledAt.policySet, extra };
        // The PDP kept serving its last valid policies (see GitPolicyHistory.lastCompilingAt); --at is taken literally.
        const fallback = at ? undefined : await history.lastCompilingAt(resolved.commit, config);
        if (fallback) return { policySet: fallback.policySet, extra: { ...extra, version: fallback.commit.hash, compileFallbackFrom: resolved.commit.hash } };
        const first = compiledAt.errors[0];
        return { error: `the policies at ${resolved.commit.hash.slice(0, 12)} do not compile (${compiledAt.errors.length} errors; first: ${first?.file}: ${first?.message})`, extra };
      },
      true,
    );
  } finally {
    history.close();
  }
}

export default replay;
