// Cerbos has no HTTP push for audit logs: log shippers (Fluent Bit, Vector) tail the file backend and
// POST its NDJSON here. The token's name becomes the PDP instance of the records.
import { getPool } from "@/lib/db/pool";
import { after } from "next/server";
import { handleIngestRequest } from "@/lib/ingest/http";
import { refreshTasks } from "@/lib/tasks/refresh";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  const res = await handleIngestRequest(req, getPool(), { channel: "http:cerbos", engine: "cerbos" });
  // Tasks are derived after the answer is sent: the sender waits only for the durable write.
  if (res.ok) after(() => refreshTasks(getPool()).then(() => undefined, (err) => console.error("task refresh failed:", err)));
  return res;
}
