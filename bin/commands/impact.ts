// hindsight impact --from <t> --to <t> [filters] --candidate <version> [--json]
// Replays every matching stored Cerbos decision against the candidate version and prints the flips.
import { parseArgs } from "node:util";
import { parseExplorerParams } from "../../lib/explorer/query-params.ts";
import { resolveCandidate } from "../../lib/replay/impact-jobs.ts";
import { createImpactRun, executeImpactRun } from "../../lib/replay/impact.ts";
import { FLIP_DIMENSIONS, flipsBy, type FlipDimension } from "../../lib/replay/impact-report.ts";
import { ReplayError } from "../../lib/replay/record-replay.ts";
import { compiledVersion } from "../../lib/policies/index.ts";
import { cliActor } from "../actor.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const FILTER_FLAGS = ["engine", "pdp", "principal", "agent", "role", "action", "kind", "rid", "effect", "policy", "pv", "q"] as const;
const USAGE = `usage: hindsight impact --from <t> --to <t> --candidate <version> [--json] [${FILTER_FLAGS.map((f) => `--${f} <v>`).join(" ")}]`;

const impact: Command = async (args, io) => {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        candidate: { type: "string" },
        json: { type: "boolean" },
        ...Object.fromEntries(FILTER_FLAGS.map((f) => [f, { type: "string" as const }])),
      },
    }).values;
  } catch (err) {
    writeLine(io.stderr, `hindsight impact: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (!values.from || !values.to || !values.candidate) {
    writeLine(io.stderr, `hindsight impact: --from, --to and --candidate are required\n${USAGE}`);
    return EXIT_USAGE;
  }
  const raw: Record<string, string> = { from: String(values.from), to: String(values.to) };
  for (const f of FILTER_FLAGS) if (typeof values[f] === "string") raw[f] = values[f] as string;
  const parsed = parseExplorerParams(raw);
  if (!parsed.ok) {
    writeLine(io.stderr, `hindsight impact: ${parsed.errors.join("; ").replaceAll("`", "--").replace(/--(\w+)--/g, "--$1")}`);
    return EXIT_USAGE;
  }
  const filters = parsed.query.filters;
  return withDatabase(async (pool) => {
    let version;
    try {
      version = await resolveCandidate(pool, String(values.candidate));
    } catch (err) {
      if (err instanceof ReplayError) {
        writeLine(io.stderr, `hindsight impact: ${err.message}`);
        return EXIT_USAGE;
      }
      throw err;
    }
    const policySet = await compiledVersion(pool, version.id);
    const runId = await createImpactRun(pool, version.id, filters, cliActor());
    const showProgress = (io.stderr as NodeJS.WriteStream).isTTY === true;
    const progress = await executeImpactRun(pool, runId, policySet, (p) => {
      if (showProgress) io.stderr.write(`\r${p.decisions.toLocaleString("en-US")} decisions replayed, ${(p.allowToDeny + p.denyToAllow).toLocaleString("en-US")} flips`);
    });
    if (showProgress) io.stderr.write("\n");
    const by: Record<string, Awaited<ReturnType<typeof flipsBy>>> = {};
    for (const dim of Object.keys(FLIP_DIMENSIONS) as FlipDimension[]) by[dim] = await flipsBy(pool, runId, dim, 10);
    const summary = { runId, candidate: { id: version.id, label: version.label, source: version.source }, filters, ...progress, by };
    if (values.json) writeLine(io.stdout, JSON.stringify(summary));
    else {
      const n = (x: number) => x.toLocaleString("en-US");
      writeLine(io.stdout, `impact run ${runId}: candidate ${version.label} (${version.source}, version ${version.id})`);
      writeLine(io.stdout, `${n(progress.decisions)} decisions, ${n(progress.actions)} actions replayed: ${n(progress.allowToDeny)} allow→deny, ${n(progress.denyToAllow)} deny→allow, ${n(progress.unchanged)} unchanged, ${n(progress.skipped)} skipped`);
      for (const [dim, rows] of Object.entries(by)) {
        if (rows.length === 0) continue;
        writeLine(io.stdout, `by ${dim}:`);
        for (const r of rows) writeLine(io.stdout, `  ${r.value.padEnd(40)} allow→deny ${n(r.allowToDeny)}  deny→allow ${n(r.denyToAllow)}`);
      }
    }
    return 0;
  });
};

export default impact;
