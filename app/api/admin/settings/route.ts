// PUT /api/admin/settings {sensitivePaths: "<one rule per line>"} stores the admin's masking rules;
// {sensitivePaths: null} removes the override (back to HINDSIGHT_SENSITIVE_PATHS or the built-ins).
// The guard has already required settings.manage and the CSRF header. Bad lines → 400 naming each
// line; every change is recorded as settings.update with the list before and after.
import { z } from "zod";
import { auditRequest, userOf } from "@/lib/auth/current";
import { BodyError, readJsonBody } from "@/lib/auth/request-body";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { clearSensitiveRulesCache, getSensitiveRules, InvalidRulesError, SETTINGS_KEY, writeSensitiveRules } from "@/lib/masking/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const bodySchema = z
  .object({
    sensitivePaths: z
      .string({ message: 'must be text with one rule per line, or null to go back to the defaults' })
      .max(60_000, "must be at most 60,000 characters")
      .nullable(),
  })
  .strict();

export async function PUT(req: Request): Promise<Response> {
  let body: z.infer<typeof bodySchema>;
  try {
    body = await readJsonBody(req, bodySchema, 128 * 1024);
  } catch (err) {
    if (err instanceof BodyError) return jsonResponse(err.status, { error: err.message });
    throw err;
  }
  const pool = getPool();
  const actor = userOf(req)?.username ?? "anonymous";
  try {
    // The change and its audit event commit together: no setting changes without a trail entry.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const change = await writeSensitiveRules(client, body.sensitivePaths, actor);
      await auditRequest(client, req, {
        action: "settings.update",
        target: SETTINGS_KEY,
        details: { key: SETTINGS_KEY, from: change.from, to: change.to },
      });
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
      clearSensitiveRulesCache();
    }
    const now = await getSensitiveRules(pool);
    return jsonResponse(200, { source: now.source, lines: now.lines, rules: now.ruleSet.texts, updatedAt: now.updatedAt, updatedBy: now.updatedBy });
  } catch (err) {
    if (err instanceof InvalidRulesError) {
      return jsonResponse(400, {
        error: `\`sensitivePaths\`: ${err.message}`,
        errors: err.errors.map((e) => ({ line: Number(/^line (\d+)$/.exec(e.where)?.[1] ?? 0) || null, text: e.text, message: e.message })),
      });
    }
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "database unavailable; retry in a moment" }, { "retry-after": "5" });
    console.error("settings update failed:", err);
    return jsonResponse(500, { error: `could not save the settings: ${(err as Error).message}` });
  }
}
