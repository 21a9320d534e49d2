// One keyset page of a run's flipped decisions (the drill-down's "More"): ?direction=&dim=&value=&after=&limit=.
// Answers {flips, masked, next}: the rows masked like explorer rows, `masked` (hop id → field → pointer
// into the hop document) for the list's Reveal controls.
import { parseFlipQuery } from "@/components/impact/flip-query";
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { maskFlipRows } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
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
  const [rows, { ruleSet }] = await Promise.all([listFlips(pool, runId, { direction, dimension: dim, value, afterHopId: after, limit }), getSensitiveRules(pool)]);
  const { rows: flips, masked } = maskFlipRows(rows, ruleSet);
  return jsonResponse(200, { flips, masked, next: rows.length === limit ? rows[rows.length - 1]!.hopId : null });
}
