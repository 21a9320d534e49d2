// An impact run's status and counters (polled by the run page every second while it runs).
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { getImpactRun } from "@/lib/replay/impact-report";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await ctx.params;
  if (!/^\d{1,18}$/.test(runId)) return jsonResponse(400, { error: `run id "${runId}" is not a number` });
  const run = await getImpactRun(getPool(), runId);
  if (!run) return jsonResponse(404, { error: `impact run ${runId} does not exist` });
  return jsonResponse(200, run, { "cache-control": "no-store" });
}
