// hindsight replay --policies <dir> --log <decision-log file> [--now <RFC3339>] [--json]
// Replays every Cerbos CheckResources decision in the log (access entries skipped) with the
// logged inputs (decoded JWT claims included) and the entry's timestamp as now().
// stdout: one NDJSON line per (entry, input); stderr: a summary. Exit 0 even with mismatches.
import { parseArgs } from "node:util";
import { parseDecisionLog } from "../../lib/formats/index.ts";
import { readInputFile } from "../../lib/formats/read.ts";
import type { CheckInput, EngineConfig } from "../../lib/engine/cerbos/index.ts";
import { compileCerbosDirectory } from "../../lib/engine/cerbos/index.ts";
import { engineOptions, formatCompileErrors, parseEngineOptions, parseNow } from "../../lib/engine/cerbos/cli-options.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = "usage: hindsight replay --policies <dir> --log <decision-log file> [--now <RFC3339>] [--json] [--strict-evaluation] [--lenient-scope-search]";

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

/** CheckResources inputs/outputs of a decision entry; pre-0.18 logs kept them at top level. */
function checkResourcesOf(entry: Json): { inputs: unknown[]; outputs: unknown[] } | undefined {
  const cr = asObject(entry.checkResources);
  if (cr) return { inputs: Array.isArray(cr.inputs) ? cr.inputs : [], outputs: Array.isArray(cr.outputs) ? cr.outputs : [] };
  if (Array.isArray(entry.inputs)) return { inputs: entry.inputs, outputs: Array.isArray(entry.outputs) ? entry.outputs : [] };
  return undefined;
}

function toCheckInput(raw: unknown): CheckInput | undefined {
  const o = asObject(raw);
  const principal = asObject(o?.principal);
  const resource = asObject(o?.resource);
  if (!o || !principal || !resource) return undefined;
  return {
    requestId: typeof o.requestId === "string" ? o.requestId : "",
    principal: {
      id: String(principal.id ?? ""),
      roles: Array.isArray(principal.roles) ? principal.roles.map(String) : [],
      attr: (asObject(principal.attr) ?? {}) as CheckInput["principal"]["attr"],
      policyVersion: typeof principal.policyVersion === "string" ? principal.policyVersion : "",
      scope: typeof principal.scope === "string" ? principal.scope : "",
    },
    resource: {
      kind: String(resource.kind ?? ""),
      id: String(resource.id ?? ""),
      attr: (asObject(resource.attr) ?? {}) as CheckInput["resource"]["attr"],
      policyVersion: typeof resource.policyVersion === "string" ? resource.policyVersion : "",
      scope: typeof resource.scope === "string" ? resource.scope : "",
    },
    actions: Array.isArray(o.actions) ? o.actions.map(String) : [],
    auxData: asObject(o.auxData) as CheckInput["auxData"],
  };
}

const replay: Command = async (args, io) => {
  let values;
  try {
    values = parseArgs({
      args,
      options: { policies: { type: "string" }, log: { type: "string" }, now: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" }, ...engineOptions },
    }).values;
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (!values.policies || !values.log) {
    writeLine(io.stderr, `hindsight replay: --policies and --log are required\n${USAGE}`);
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
  let compiled;
  try {
    compiled = compileCerbosDirectory(values.policies, config);
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: cannot read policies: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  if (!compiled.ok) {
    writeLine(io.stderr, formatCompileErrors(compiled.errors));
    return EXIT_USAGE;
  }
  let bytes: Buffer;
  try {
    bytes = await readInputFile(values.log);
  } catch (err) {
    writeLine(io.stderr, `hindsight replay: cannot read log: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  const policySet = compiled.policySet!;
  const parsed = parseDecisionLog(bytes, { hint: "cerbos" });
  const summary = { entries: 0, inputs: 0, actions: 0, matches: 0, mismatches: 0, mismatchedInputs: 0, skippedEntries: 0, rejectedLines: parsed.rejected.length };
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
    const outputs = policySet.evaluate(usable, { now: fixedNow ?? rec.decidedAt });
    let u = 0;
    inputs.forEach((input, inputIndex) => {
      if (!input) return;
      const out = outputs[u++]!;
      const recordedActions = asObject(asObject(cr.outputs[inputIndex])?.actions) ?? {};
      const recorded: Record<string, string> = {};
      for (const [a, v] of Object.entries(recordedActions)) recorded[a] = String(asObject(v)?.effect ?? "EFFECT_DENY");
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
      writeLine(io.stdout, JSON.stringify({ callId, inputIndex, requestId: input.requestId, resourceId: input.resource.id, recorded, replayed, match }));
    });
  }
  for (const r of parsed.rejected.slice(0, 20)) writeLine(io.stderr, `hindsight replay: skipped ${r.reason}`);
  if (values.json) writeLine(io.stderr, JSON.stringify(summary));
  else {
    writeLine(
      io.stderr,
      `replayed ${summary.entries} entries, ${summary.inputs} inputs, ${summary.actions} actions: ${summary.matches} match, ${summary.mismatches} mismatch` +
        ` (${summary.mismatchedInputs} inputs differ; ${summary.skippedEntries} non-check entries skipped; ${summary.rejectedLines} unreadable lines)`,
    );
  }
  return 0;
};

export default replay;
