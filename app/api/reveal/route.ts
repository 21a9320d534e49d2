// POST /api/reveal {recordId, path, reason, source?, hopId?, tokenPath?} → the one masked value, or
// {recordId, all: true, reason} → the record's exact raw bytes (base64) for the raw view's "reveal all".
// The guard has already required sensitive.reveal and the CSRF header. Every answer that hands out a
// value is recorded first as sensitive.reveal (actor, record, path, reason — never the value): if the
// audit write fails, nothing is revealed.
import { z } from "zod";
import { auditRequest } from "@/lib/auth/current";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { maskRawText } from "@/lib/masking/record";
import { lookupRawBytes, lookupRevealValue, MIN_REVEAL_REASON, REVEAL_SOURCES, RevealBadRequest, RevealNotFound } from "@/lib/masking/reveal";
import { getSensitiveRules } from "@/lib/masking/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const id = (field: string) =>
  z
    .union([z.string(), z.number().int().nonnegative()], { message: `must be a record id (a whole number)` })
    .transform((v) => String(v).trim())
    .refine((v) => /^\d{1,19}$/.test(v), `must be a whole number`)
    .describe(field);

const bodySchema = z
  .object({
    recordId: id("recordId"),
    path: z.string({ message: "must be a string (a JSON pointer or dot path)" }).max(2000, "must be at most 2000 characters").optional(),
    all: z.literal(true, { message: "must be true when given" }).optional(),
    reason: z
      .string({ message: `is required: say why you need to see this value (it is recorded)` })
      .trim()
      .min(MIN_REVEAL_REASON, `must be at least ${MIN_REVEAL_REASON} characters: say why you need to see this value (it is recorded)`)
      .max(2000, "must be at most 2000 characters"),
    source: z.enum(REVEAL_SOURCES, { message: `must be one of ${REVEAL_SOURCES.join(", ")}` }).default("entry"),
    hopId: id("hopId").optional(),
    tokenPath: z.string({ message: "must be a string" }).max(2000, "must be at most 2000 characters").optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.all && b.path !== undefined) ctx.addIssue({ code: "custom", path: ["path"], message: "must not be given with all: true" });
    if (!b.all && (b.path === undefined || b.path.trim() === "")) ctx.addIssue({ code: "custom", path: ["path"], message: "is required (or all: true for the whole raw record)" });
    if (b.all && b.source !== "raw" && b.source !== "entry") ctx.addIssue({ code: "custom", path: ["source"], message: 'must be "raw" (or left out) with all: true' });
  });

export async function POST(req: Request): Promise<Response> {
  let body: z.infer<typeof bodySchema>;
  try {
    body = await readJsonBody(req, bodySchema);
  } catch (err) {
    if (err instanceof BodyError) return jsonResponse(err.status, { error: err.message });
    throw err;
  }
  const pool = getPool();
  try {
    if (body.all) {
      const raw = await lookupRawBytes(pool, body.recordId);
      const { ruleSet } = await getSensitiveRules(pool);
      const maskedPaths = maskRawText(raw.bytes.toString("utf8"), raw.format, ruleSet).masked.map((m) => m.pointer);
      await auditRequest(pool, req, {
        action: "sensitive.reveal",
        target: `record:${body.recordId}`,
        reason: body.reason,
        details: { recordId: body.recordId, source: "raw", all: true, paths: maskedPaths },
      });
      return jsonResponse(200, { recordId: body.recordId, all: true, rawBase64: raw.bytes.toString("base64"), sha256: raw.sha256, paths: maskedPaths }, { "cache-control": "no-store" });
    }
    const { pointer, value } = await lookupRevealValue(pool, {
      recordId: body.recordId,
      path: body.path!,
      source: body.source,
      hopId: body.hopId,
      tokenPath: body.tokenPath,
    });
    await auditRequest(pool, req, {
      action: "sensitive.reveal",
      target: `record:${body.recordId}`,
      reason: body.reason,
      details: {
        recordId: body.recordId,
        source: body.source,
        path: pointer,
        ...(body.hopId ? { hopId: body.hopId } : {}),
        ...(body.tokenPath ? { tokenPath: body.tokenPath } : {}),
      },
    });
    return jsonResponse(200, { recordId: body.recordId, source: body.source, path: pointer, value }, { "cache-control": "no-store" });
  } catch (err) {
    if (err instanceof RevealNotFound) return jsonResponse(404, { error: err.message });
    if (err instanceof RevealBadRequest) return jsonResponse(400, { error: err.message });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "database unavailable; retry in a moment" }, { "retry-after": "5" });
    console.error("reveal failed:", err);
    return jsonResponse(500, { error: "internal error while revealing; see the server log" });
  }
}
