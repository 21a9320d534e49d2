// Asks a queued or running impact run to stop; it stops after the page of decisions it is on.
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { auditRequest } from "@/lib/auth/current";
import { requestCancel } from "@/lib/replay/impact";
import { getImpactRun } from "@/lib/replay/impact-report";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await ctx.params;
  if (!/^\d{1,18}$/.test(runId)) return jsonResponse(400, { error: `run id "${runId}" is not a number` });
  const pool = getPool();
  const run = await getImpactRun(pool, runId);
  if (!run) return jsonResponse(404, { error: `impact run ${runId} does not exist` });
  const cancelling = await requestCancel(pool, runId);
  if (!cancelling) return jsonResponse(409, { error: `impact run ${runId} is ${run.status}; only queued or running runs can be cancelled`, status: run.status });
  await auditRequest(pool, req, { action: "impact.cancel", target: runId });
  return jsonResponse(202, { status: "cancelling" });
}
