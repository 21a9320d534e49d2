// Browser upload of decision-log files (the /ingest page): one file per request, raw bytes as the body
// (NDJSON, JSON or gzip of either), ?filename= names it for the batch. Answers the ingest summary as JSON;
// bad input gets a 4xx whose `error` names the problem.
// No authentication yet: browser sessions and roles come in a later issue. Until then this route is as
// open as the rest of the UI, which is meant to run on a trusted network or behind an auth proxy.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { auditRequest } from "@/lib/auth/current";
import { BadGzipError, gunzipLimited, isGzip, PayloadTooLargeError } from "@/lib/formats/read";
import { HttpError, isDatabaseUnavailable, jsonResponse, readBodyLimited, summaryAnswer, UPLOAD_MAX_ITEMS } from "@/lib/ingest/http";
import { ingestBytes } from "@/lib/ingest/ingest";
import { refreshTasks } from "@/lib/tasks/refresh";
import { formatBytes } from "@/lib/explorer/format";
import { uploadMaxBytes, uploadMaxDecodedBytes } from "@/lib/explorer/upload-limits";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const querySchema = z.object({
  filename: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(255, "must be at most 255 characters")
    // Shown in the UI and logs: no control characters.
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters")
    .default("upload"),
  pdp: z
    .string()
    .trim()
    .max(200, "must be at most 200 characters")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters")
    .optional(),
});

export async function POST(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const query = querySchema.safeParse({
    filename: url.searchParams.get("filename") ?? undefined,
    pdp: url.searchParams.get("pdp") ?? undefined,
  });
  if (!query.success) {
    const issue = query.error.issues[0];
    return jsonResponse(400, { error: `query parameter \`${String(issue.path[0])}\` ${issue.message}` });
  }
  const { filename, pdp } = query.data;
  const maxBytes = uploadMaxBytes();
  try {
    let bytes = await readBodyLimited(req, maxBytes).catch((err) => {
      if (err instanceof HttpError && err.status === 413) {
        throw new HttpError(413, `${filename} is larger than the upload limit of ${formatBytes(maxBytes)} per file`);
      }
      throw err;
    });
    if (bytes.length === 0) throw new HttpError(400, `${filename}: the file is empty`);
    if (isGzip(bytes)) bytes = await gunzipLimited(bytes, uploadMaxDecodedBytes());
    const summary = await ingestBytes(getPool(), bytes, {
      channel: "upload",
      origin: filename,
      pdpInstance: pdp || undefined,
      limits: { maxItems: UPLOAD_MAX_ITEMS },
    });
    await auditRequest(getPool(), req, {
      action: "records.upload",
      target: filename,
      details: { bytes: bytes.length, accepted: summary.accepted, duplicate: summary.duplicate, conflict: summary.conflict, rejected: summary.rejected.length, batchId: summary.batchId },
    });
    const stored = summary.accepted + summary.duplicate + summary.conflict;
    if (stored === 0 && summary.rejected.length > 0) {
      return jsonResponse(422, { error: `${filename}: no decision-log record could be read from this file`, file: filename, ...summaryAnswer(summary) });
    }
    // Derive tasks before answering: the investigator who uploads usually opens the tasks next.
    // A failed derivation must not turn a stored upload into an error: tasks catch up on the next refresh.
    if (summary.accepted + summary.conflict > 0) await refreshTasks(getPool(), { wait: true }).catch((err) => console.error("task refresh failed:", err));
    return jsonResponse(200, { file: filename, ...summaryAnswer(summary) });
  } catch (err) {
    if (err instanceof HttpError) return jsonResponse(err.status, { error: err.message, file: filename });
    if (err instanceof PayloadTooLargeError) {
      return jsonResponse(413, { error: `${filename}: ${err.message}`, file: filename });
    }
    if (err instanceof BadGzipError) return jsonResponse(400, { error: `${filename}: ${err.message}`, file: filename });
    if (isDatabaseUnavailable(err)) {
      return jsonResponse(503, { error: "database unavailable, nothing was stored; retry in a moment", file: filename }, { "retry-after": "5" });
    }
    console.error("upload failed:", err);
    return jsonResponse(500, { error: "internal error while storing the file; see the server log", file: filename });
  }
}
