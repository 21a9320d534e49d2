// All flipped decisions of a run as CSV, streamed page by page (bounded memory on big runs). Sensitive
// cells (principal, agent, resource id, action, policies, per the masking rules) are masked, as on the run page.
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { maskFlipRow } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import { flipsCsv, getImpactRun } from "@/lib/replay/impact-report";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await ctx.params;
  if (!/^\d{1,18}$/.test(runId)) return jsonResponse(400, { error: `run id "${runId}" is not a number` });
  const pool = getPool();
  if (!(await getImpactRun(pool, runId))) return jsonResponse(404, { error: `impact run ${runId} does not exist` });
  const { ruleSet } = await getSensitiveRules(pool);
  const rows = flipsCsv(pool, runId, (r) => maskFlipRow(r, ruleSet).row);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await rows.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        console.error(`CSV export of impact run ${runId} failed:`, err);
        controller.error(err);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="impact-run-${runId}-flips.csv"`,
      "cache-control": "no-store",
    },
  });
}
