// A run with all its flipped decisions as one JSON document, streamed: {"run": {...}, "flips": [...]}.
// Sensitive fields of each flip (principal, agent, resource id, action, policies, per the masking rules)
// and of the run's filters are masked, as on the run page.
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { maskExplorerFilters, maskFlipRow, masker } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import { getImpactRun, listFlips } from "@/lib/replay/impact-report";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const PAGE = 5_000;

export async function GET(_req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const { runId } = await ctx.params;
  if (!/^\d{1,18}$/.test(runId)) return jsonResponse(400, { error: `run id "${runId}" is not a number` });
  const pool = getPool();
  const run = await getImpactRun(pool, runId);
  if (!run) return jsonResponse(404, { error: `impact run ${runId} does not exist` });
  const { ruleSet } = await getSensitiveRules(pool);
  const encoder = new TextEncoder();
  let after: string | undefined;
  let first = true;
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`{"run":${JSON.stringify({ ...run, filters: maskExplorerFilters(run.filters, masker(ruleSet)).filters })},"flips":[`));
    },
    async pull(controller) {
      if (finished) return;
      try {
        const page = await listFlips(pool, runId, { afterHopId: after, limit: PAGE });
        if (page.length === 0) {
          finished = true;
          controller.enqueue(encoder.encode("\n]}\n"));
          controller.close();
          return;
        }
        const text = page.map((f, i) => `${first && i === 0 ? "" : ","}\n${JSON.stringify(maskFlipRow(f, ruleSet).row)}`).join("");
        first = false;
        controller.enqueue(encoder.encode(text));
        after = page[page.length - 1]!.hopId;
      } catch (err) {
        console.error(`JSON export of impact run ${runId} failed:`, err);
        controller.error(err);
      }
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="impact-run-${runId}.json"`,
      "cache-control": "no-store",
    },
  });
}
