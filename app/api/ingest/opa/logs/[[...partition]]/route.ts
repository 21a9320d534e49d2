// OPA's decision-log service protocol: point `services.<name>.url` at <app>/api/ingest/opa and leave
// `decision_logs.resource` at its default /logs (a deprecated partition_name adds /logs/<partition>).
import { getPool } from "@/lib/db/pool";
import { after } from "next/server";
import { handleIngestRequest } from "@/lib/ingest/http";
import { refreshTasks } from "@/lib/tasks/refresh";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  const res = await handleIngestRequest(req, getPool(), { channel: "http:opa", engine: "opa" });
  // Tasks are derived after the answer is sent: the sender waits only for the durable write.
  if (res.ok) after(() => refreshTasks(getPool()).then(() => undefined, (err) => console.error("task refresh failed:", err)));
  return res;
}
