// An impact run's status and counters (polled by the run page every second while it runs). The run's
// filters were typed by whoever started it: values the masking rules cover answer as markers.
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { maskExplorerFilters, masker } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import { getImpactRun } from "@/lib/replay/impact-report";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await ctx.params;
  if (!/^\d{1,18}$/.test(runId)) return jsonResponse(400, { error: `run id "${runId}" is not a number` });
  const pool = getPool();
  const run = await getImpactRun(pool, runId);
  if (!run) return jsonResponse(404, { error: `impact run ${runId} does not exist` });
  const { ruleSet } = await getSensitiveRules(pool);
  return jsonResponse(200, { ...run, filters: maskExplorerFilters(run.filters, masker(ruleSet)).filters }, { "cache-control": "no-store" });
}
