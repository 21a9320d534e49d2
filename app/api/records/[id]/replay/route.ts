// Replays one stored decision (the record page's Replay panel). POST JSON
//   {target: "resolved"}                      the version in force when it was made
//   {target: {version: "<id | hash | ref | label>"}}
//   {target: {draft: [{path, content}, ...]}} uploaded policy files, compiled for this call only
// Answers the replay (per input and action: recorded vs replayed, derived roles, outputs, explanation),
// or {error, compileErrors?} with 400 (bad input, draft does not compile), 404 (no such record or
// version) or 422 (cannot replay: OPA record, no version imported, version does not compile).
// The answer echoes the record's inputs (principal, resource, outputs, condition values), so it goes
// through the sensitive-field rules like every other view of the record; reveals happen on the record.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { AmbiguousPolicyRefError } from "@/lib/policies";
import { replayRecord, ReplayError, type ReplayTarget } from "@/lib/replay/record-replay";
import { maskJson } from "@/lib/masking/mask";
import { getSensitiveRules } from "@/lib/masking/settings";
import { auditRequest } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_DRAFT_FILES = 1000;

const draftFile = z.object({
  path: z
    .string({ message: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(500, "must be at most 500 characters")
    .refine((p) => !p.split("/").includes(".."), "must not contain `..`"),
  content: z.string({ message: "must be a string" }),
});

const bodySchema = z.object({
  target: z.union(
    [
      z.literal("resolved"),
      z.object({ version: z.string({ message: "must be a string" }).trim().min(1, "must not be empty").max(200, "must be at most 200 characters") }).strict(),
      z.object({ draft: z.array(draftFile).min(1, "must hold at least one file").max(MAX_DRAFT_FILES, `must hold at most ${MAX_DRAFT_FILES} files`) }).strict(),
    ],
    { message: 'must be "resolved", {"version": "<ref>"} or {"draft": [{"path", "content"}]}' },
  ),
});

function issueText(error: z.ZodError): string {
  // A union reports its branches' issues; the deepest path names the field best.
  const issues = error.issues.flatMap((i) => (i.code === "invalid_union" ? i.errors.flat() : [i]));
  const best = issues.sort((a, b) => b.path.length - a.path.length)[0] ?? error.issues[0]!;
  const path = ["target", ...best.path.filter((p) => p !== "target")].map(String).join(".");
  const topLevel = error.issues[0]!;
  return best.path.length > 0 ? `\`${path}\` ${best.message}` : `\`${topLevel.path.map(String).join(".") || "body"}\` ${topLevel.message}`;
}

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  if (!/^\d{1,18}$/.test(id)) return jsonResponse(400, { error: `record id "${id}" is not a number` });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return jsonResponse(413, { error: `the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB` });
  let json: unknown;
  try {
    const text = await req.text();
    if (text.length > MAX_BODY_BYTES) return jsonResponse(413, { error: `the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB` });
    json = JSON.parse(text);
  } catch {
    return jsonResponse(400, { error: 'the body must be JSON like {"target": "resolved"}' });
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) return jsonResponse(400, { error: issueText(parsed.error) });

  const t = parsed.data.target;
  const target: ReplayTarget = t === "resolved" ? { kind: "resolved" } : "version" in t ? { kind: "version", ref: t.version } : { kind: "draft", files: t.draft };
  try {
    const replay = await replayRecord(getPool(), id, target, { explain: true });
    await auditRequest(getPool(), req, {
      action: "replay.run",
      target: id,
      details: { target: target.kind === "draft" ? { draft: target.files.map((f) => f.path) } : target.kind === "version" ? { version: target.ref } : "resolved" },
    });
    const { ruleSet } = await getSensitiveRules(getPool());
    return jsonResponse(200, maskJson(replay, ruleSet).value);
  } catch (err) {
    if (err instanceof ReplayError) return jsonResponse(err.status, { error: err.message, ...(err.compileErrors ? { compileErrors: err.compileErrors } : {}) });
    if (err instanceof AmbiguousPolicyRefError) return jsonResponse(400, { error: `\`target.version\`: ${err.message}` });
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "database unavailable; retry in a moment" }, { "retry-after": "5" });
    console.error(`replay of record ${id} failed:`, err);
    return jsonResponse(500, { error: "internal error while replaying; see the server log" });
  }
}
