// Cerbos has no HTTP push for audit logs: log shippers (Fluent Bit, Vector) tail the file backend and
// POST its NDJSON here. The token's name becomes the PDP instance of the records.
import { getPool } from "@/lib/db/pool";
import { handleIngestRequest } from "@/lib/ingest/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return handleIngestRequest(req, getPool(), { channel: "http:cerbos", engine: "cerbos" });
}
