// One keyset page of a run's flipped decisions (the drill-down's "More"): ?direction=&dim=&value=&after=&limit=.
import { parseFlipQuery } from "@/components/impact/flip-query";
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { getImpactRun, listFlips } from "@/lib/replay/impact-report";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await ctx.params;
  if (!/^\d{1,18}$/.test(runId)) return jsonResponse(400, { error: `run id "${runId}" is not a number` });
  const parsed = parseFlipQuery(new URL(req.url).searchParams);
  if (!parsed.ok) return jsonResponse(400, { error: parsed.error });
  const pool = getPool();
  if (!(await getImpactRun(pool, runId))) return jsonResponse(404, { error: `impact run ${runId} does not exist` });
  const { direction, dim, value, after, limit = 50 } = parsed.query;
  const rows = await listFlips(pool, runId, { direction, dimension: dim, value, afterHopId: after, limit });
  return jsonResponse(200, { flips: rows, next: rows.length === limit ? rows[rows.length - 1]!.hopId : null });
}
