// OPA's decision-log service protocol: point `services.<name>.url` at <app>/api/ingest/opa and leave
// `decision_logs.resource` at its default /logs (a deprecated partition_name adds /logs/<partition>).
import { getPool } from "@/lib/db/pool";
import { handleIngestRequest } from "@/lib/ingest/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return handleIngestRequest(req, getPool(), { channel: "http:opa", engine: "opa" });
}
