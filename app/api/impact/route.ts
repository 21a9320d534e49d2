// Starts an impact analysis: replays the Cerbos decisions matching a time window and the explorer's
// filters against a candidate policy version, in the background of this server. Body: JSON or an HTML
// form, `candidate` (version id / hash / ref / label) plus the explorer filter fields (from, to, principal,
// agent, role, action, kind, rid, effect, policy, pv, pdp, q). JSON callers get 201 {runId}; a form post
// is redirected (303) to the run's page. Bad input: 400 naming the field.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { FILTER_PARAMS, parseExplorerParams, type FilterParam } from "@/lib/explorer/query-params";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { AmbiguousPolicyRefError } from "@/lib/policies";
import { ReplayError } from "@/lib/replay/record-replay";
import { startImpactRun } from "@/lib/replay/impact-jobs";
import { auditRequest, userOf } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const candidateSchema = z
  .string({ message: "is required: pick the candidate policy version" })
  .trim()
  .min(1, "is required: pick the candidate policy version")
  .max(200, "must be at most 200 characters");

async function readFields(req: Request): Promise<Record<string, string> | null> {
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const body: unknown = await req.json();
      if (!body || typeof body !== "object" || Array.isArray(body)) return null;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
        else if (v !== null && v !== undefined) out[k] = String(v);
      return out;
    }
    const form = await req.formData();
    const out: Record<string, string> = {};
    for (const [k, v] of form) if (typeof v === "string" && !(k in out)) out[k] = v;
    return out;
  } catch {
    return null;
  }
}

export async function POST(req: Request): Promise<Response> {
  const wantsJson = (req.headers.get("content-type") ?? "").includes("application/json");
  const fields = await readFields(req);
  if (!fields) return jsonResponse(400, { error: "send JSON or a form with `candidate` and the explorer filter fields" });
  const candidate = candidateSchema.safeParse(fields.candidate);
  if (!candidate.success) return jsonResponse(400, { error: `\`candidate\` ${candidate.error.issues[0]!.message}` });
  const filterFields: Record<string, string> = {};
  for (const key of Object.keys(FILTER_PARAMS) as FilterParam[]) if (fields[key] !== undefined) filterFields[key] = fields[key]!;
  const parsed = parseExplorerParams(filterFields);
  if (!parsed.ok) return jsonResponse(400, { error: parsed.errors.join("; ") });
  if (parsed.query.filters.engine === "opa") return jsonResponse(400, { error: "`engine`: impact analysis replays Cerbos decisions only" });
  try {
    const runId = await startImpactRun(getPool(), candidate.data, parsed.query.filters, userOf(req)?.username ?? null);
    await auditRequest(getPool(), req, { action: "impact.start", target: runId, details: { candidate: candidate.data, filters: filterFields } });
    if (wantsJson) return jsonResponse(201, { runId, href: `/impact/${runId}` });
    return new Response(null, { status: 303, headers: { location: `/impact/${runId}` } });
  } catch (err) {
    if (err instanceof ReplayError) return jsonResponse(err.status === 404 ? 400 : err.status, { error: `\`candidate\`: ${err.message}`, ...(err.compileErrors ? { compileErrors: err.compileErrors } : {}) });
    if (err instanceof AmbiguousPolicyRefError) return jsonResponse(400, { error: `\`candidate\`: ${err.message}` });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "database unavailable; retry in a moment" }, { "retry-after": "5" });
    console.error("starting an impact run failed:", err);
    return jsonResponse(500, { error: "internal error while starting the run; see the server log" });
  }
}
