// The record's bytes exactly as received (what raw_sha256 covers), as a download.
import { getRawRecordBytes } from "@/lib/explorer/record-detail";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const raw = await getRawRecordBytes(id);
  if (!raw) {
    return Response.json({ error: `no record with id "${id}" (ids are whole numbers)` }, { status: 404 });
  }
  return new Response(new Uint8Array(raw.bytes), {
    headers: {
      "content-type": "application/octet-stream",
      "x-content-type-options": "nosniff",
      "content-disposition": `attachment; filename="record-${id}.json"`,
      "x-content-sha256": raw.sha256,
      "cache-control": "private, max-age=31536000, immutable",
    },
  });
}
