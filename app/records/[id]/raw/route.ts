// The record's raw bytes as a download, masked by default: when the sensitive-field rules mask anything
// in it, the download is the masked JSON (named *.masked.json, header x-hindsight-masked: <count>) and
// not the bytes raw_sha256 covers; the exact bytes take a reveal with a reason (POST /api/reveal
// {recordId, all: true, reason}), which is recorded. A record with nothing to mask downloads byte-exact.
import { getPool } from "@/lib/db/pool";
import { maskRawText } from "@/lib/masking/record";
import { lookupRawBytes, RevealNotFound } from "@/lib/masking/reveal";
import { getSensitiveRules } from "@/lib/masking/settings";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const pool = getPool();
  let raw: Awaited<ReturnType<typeof lookupRawBytes>>;
  try {
    raw = await lookupRawBytes(pool, id);
  } catch (err) {
    if (err instanceof RevealNotFound) return Response.json({ error: err.message }, { status: 404 });
    throw err;
  }
  const { ruleSet } = await getSensitiveRules(pool);
  const masked = maskRawText(raw.bytes.toString("utf8"), raw.format, ruleSet);
  // Rules can change at any time, so neither form may be cached as if it were final.
  const common = { "x-content-type-options": "nosniff", "cache-control": "private, no-store" };
  if (masked.unchanged) {
    return new Response(new Uint8Array(raw.bytes), {
      headers: {
        ...common,
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="record-${id}.json"`,
        "x-content-sha256": raw.sha256,
        "x-hindsight-masked": "0",
      },
    });
  }
  return new Response(masked.text + "\n", {
    headers: {
      ...common,
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="record-${id}.masked.json"`,
      "x-hindsight-masked": String(masked.masked.length),
    },
  });
}
