// POST /api/evidence/export {task, reason, includeSensitive?, sensitiveReason?} (JSON or a form post) →
// the signed evidence bundle (zip) for that task, as a download. Bundles are masked by default;
// includeSensitive (raw records, unmasked tables) also needs sensitive.reveal and a reason. The exporter
// and client address come from the session; lib/evidence writes every export to the audit trail.
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { exportEvidence } from "@/lib/evidence";
import { getTask } from "@/lib/tasks/queries";
import { originOf, userCan, userOf } from "@/lib/auth/current";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  task: z.string({ message: "is required" }).trim().min(1, "is required").max(256, "must be at most 256 characters"),
  reason: z.string({ message: "is required" }).trim().min(1, "is required").max(2000, "must be at most 2000 characters"),
  // A form posts "on"/"true" for a checked box.
  includeSensitive: z
    .union([z.boolean(), z.enum(["true", "on", "false", ""])], { message: "must be true or false" })
    .optional()
    .transform((v) => v === true || v === "true" || v === "on"),
  sensitiveReason: z.string({ message: "must be a string" }).trim().max(2000, "must be at most 2000 characters").optional(),
});

function badRequest(field: string, message: string, status = 400): Response {
  return Response.json({ error: `${field} ${message}`, field }, { status });
}

async function readBody(req: Request): Promise<Record<string, unknown> | null> {
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const json = await req.json();
      return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
    }
    if (type.includes("form")) return Object.fromEntries((await req.formData()).entries());
  } catch {
    return null;
  }
  return null;
}

function safeFileName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
}

export async function POST(req: Request): Promise<Response> {
  const body = await readBody(req);
  if (!body) return badRequest("body", "must be JSON {task, reason} or a form with task and reason");
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return badRequest(String(issue.path[0] ?? "body"), issue.message);
  }
  if (parsed.data.includeSensitive && !userCan(userOf(req), "sensitive.reveal")) {
    return badRequest("includeSensitive", "needs the sensitive.reveal permission (investigator or auditor role)", 403);
  }
  if (parsed.data.includeSensitive && (parsed.data.sensitiveReason ?? "").length < 10) {
    return badRequest("sensitiveReason", "must be at least 10 characters with includeSensitive: say why the bundle needs the raw, unmasked records (it is recorded)");
  }
  const pool = getPool();
  const task = await getTask(pool, parsed.data.task);
  if (!task) return badRequest("task", `"${parsed.data.task}" is not a known task key or task id`, 404);
  // lib/evidence selects a task's records by its explicit task id; tasks without one fall back to the key.
  const taskId = task.taskId ?? task.taskKey;
  try {
    const result = await exportEvidence(pool, {
      scope: { type: "task", taskId },
      reason: parsed.data.reason,
      actor: userOf(req)?.username ?? "anonymous",
      origin: originOf(req) ?? "web",
      commandLine: `POST /api/evidence/export task=${taskId}${parsed.data.includeSensitive ? " includeSensitive=true" : ""}`,
      ...(parsed.data.includeSensitive ? { includeSensitive: true, sensitiveReason: parsed.data.sensitiveReason } : {}),
    });
    const name = `evidence-${safeFileName(taskId)}-${result.manifest.exportedAt.slice(0, 19).replace(/[-:]/g, "")}Z.zip`;
    return new Response(Buffer.from(result.zip), {
      status: 200,
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${name}"`,
        "content-length": String(result.zip.byteLength),
        "x-manifest-sha256": result.manifestSha256,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    const message = (err as Error).message;
    // lib/evidence names the field in its validation errors ("reason is required", "scope.taskId: …").
    if (/^(reason|actor|origin|scope|sensitiveReason)/.test(message)) return Response.json({ error: message, field: message.split(/[ .:]/)[0] }, { status: 400 });
    console.error("evidence export failed:", err);
    return Response.json({ error: `export failed: ${message}` }, { status: 500 });
  }
}
