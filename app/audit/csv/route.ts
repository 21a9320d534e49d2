// The audit trail as CSV: every event the page's filters match (no paging), newest first, streamed page
// by page. Same URL parameters as /audit. The download itself is recorded (audit.export).
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";
import { auditRequest } from "@/lib/auth/current";
import { auditCsv, maskAuditRow, parseAuditParams } from "@/lib/audit/query";
import { getSensitiveRules } from "@/lib/masking/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(req: Request): Promise<Response> {
  const parsed = parseAuditParams(new URL(req.url).searchParams);
  if (!parsed.ok) return jsonResponse(400, { error: parsed.errors.join("; ") });
  const pool = getPool();
  await auditRequest(pool, req, { action: "audit.export", details: { filters: parsed.filters } });
  const { ruleSet } = await getSensitiveRules(pool);
  const chunks = auditCsv(pool, parsed.filters, undefined, (row) => maskAuditRow(row, ruleSet));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        console.error("audit trail CSV export failed:", err);
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="hindsight-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}
