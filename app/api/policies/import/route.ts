// Browser import of a Cerbos policy archive (the /policies page): multipart form with `source` (the name
// the version is filed under) and `file` (zip, tar or tar.gz). The archive is written to a temporary
// folder under its own name (the version's label comes from it) and handed to lib/policies importArchive.
// Git history imports stay in the CLI (`hindsight policies import <repo>`): they read a path on the server.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { auditRequest } from "@/lib/auth/current";
import { formatBytes } from "@/lib/explorer/format";
import { uploadMaxBytes } from "@/lib/explorer/upload-limits";
import { isDatabaseUnavailable, jsonResponse } from "@/lib/ingest/http";
import { importArchive } from "@/lib/policies";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

const formSchema = z.object({
  source: z
    .string({ message: "is required" })
    .trim()
    .min(1, "is required: name the repository or folder the policies come from")
    .max(300, "must be at most 300 characters")
    .refine(noControl, "must not contain control characters"),
  filename: z
    .string()
    .trim()
    .min(1, "is required")
    .max(200, "must be at most 200 characters")
    .refine(noControl, "must not contain control characters")
    .refine((s) => /\.(zip|tar|tar\.gz|tgz)$/i.test(s), "must end in .zip, .tar, .tar.gz or .tgz"),
});

/** The archive's own name without folders or characters a file system might refuse. */
function safeFileName(name: string): string {
  return path.basename(name.replace(/\\/g, "/")).replace(/[^A-Za-z0-9._-]/g, "_") || "policies.zip";
}

export async function POST(req: Request): Promise<Response> {
  const maxBytes = uploadMaxBytes();
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    return jsonResponse(413, { error: `the archive is larger than the upload limit of ${formatBytes(maxBytes)}` });
  }
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return jsonResponse(400, { error: "send multipart/form-data with the fields `source` and `file`" });
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return jsonResponse(400, { error: "field `file` is required: choose a zip or tar.gz archive" });
  if (file.size > maxBytes) return jsonResponse(413, { error: `field \`file\`: ${file.name} is larger than the upload limit of ${formatBytes(maxBytes)}` });
  const parsed = formSchema.safeParse({ source: form.get("source") ?? undefined, filename: file.name });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path[0] === "filename" ? "file" : String(issue.path[0]);
    return jsonResponse(400, { error: `field \`${field}\` ${issue.message}` });
  }
  // A temporary folder, never part of the app: keep the bundler from tracing the project through it.
  const dir = await mkdtemp(path.join(/*turbopackIgnore: true*/ tmpdir(), "hindsight-policy-import-"));
  try {
    const target = path.join(/*turbopackIgnore: true*/ dir, safeFileName(parsed.data.filename));
    await writeFile(target, Buffer.from(await file.arrayBuffer()));
    const imported = await importArchive(getPool(), target, { source: parsed.data.source });
    await auditRequest(getPool(), req, {
      action: "policies.import",
      target: imported.version?.id ?? null,
      details: { source: parsed.data.source, file: parsed.data.filename, created: imported.created },
    });
    return jsonResponse(imported.created ? 201 : 200, {
      created: imported.created,
      version: imported.version,
      commit: imported.commit,
    });
  } catch (err) {
    if (isDatabaseUnavailable(err)) return jsonResponse(503, { error: "database unavailable, nothing was imported; retry in a moment" }, { "retry-after": "5" });
    const message = (err as Error).message ?? String(err);
    // Archive reading errors (not an archive, unsafe paths, truncated tar) are problems of the upload.
    if (/archive|tar|zip|gzip|escapes/i.test(message)) return jsonResponse(400, { error: `field \`file\`: ${message}` });
    console.error("policy import failed:", err);
    return jsonResponse(500, { error: "internal error while importing the archive; see the server log" });
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}
