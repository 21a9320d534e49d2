// Liveness and database reachability for load balancers and the fault tests: 200 {ok, database: "up"}
// or 503 {ok: false, database: "down"} with Retry-After. Public, and reveals nothing else.
import { getPool } from "@/lib/db/pool";
import { jsonResponse } from "@/lib/ingest/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(): Promise<Response> {
  try {
    await Promise.race([
      getPool().query("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
    ]);
    return jsonResponse(200, { ok: true, database: "up" });
  } catch {
    return jsonResponse(503, { ok: false, database: "down" }, { "retry-after": "5" });
  }
}
