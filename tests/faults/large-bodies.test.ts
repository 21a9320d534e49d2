// The largest bodies the ingest endpoints accept are stored whole, and anything larger is refused with
// 413 — never cut short and acknowledged. (Next's proxy layer buffers request bodies for the route
// handlers and silently truncated them at 10 MB: a 17 MB Cerbos push answered 200 with 40% of its
// records missing, so the shipper never re-sent them.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../lib/ingest/tokens.ts";
import { AppServer } from "./support/app-server.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database.ts";
import { endpointNamed, ingestRequest, signIn, type Credentials } from "./support/endpoints.ts";
import { jsonError, request, type Outcome } from "./support/http.ts";
import { CerbosCallSource, OpaEventSource } from "./support/records.ts";
import { describeProblems, verifyIngestInvariants } from "./support/verify.ts";
import type { SentRecord } from "./support/records.ts";

const MiB = 1024 * 1024;
let db: ThrowawayDatabase;
let app: AppServer;
let creds: Credentials;
const stored: SentRecord[] = [];

beforeAll(async () => {
  db = await createThrowawayDatabase("large");
  app = await AppServer.start({ name: "large", databaseUrl: db.url });
  creds = { bearer: (await createToken(db.pool, "large-pdp")).token, session: await signIn(app.baseUrl, db.url) };
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

async function post(endpoint: string, body: Buffer, headers: Record<string, string>): Promise<Outcome> {
  return request({ ...ingestRequest(app.baseUrl, endpointNamed(endpoint), creds, body, headers), timeoutMs: 180_000 });
}

/** Cerbos NDJSON of about `mib` MiB. */
function cerbosOf(mib: number, pdp: string): { body: Buffer; records: SentRecord[] } {
  const src = new CerbosCallSource(pdp, 31);
  const one = src.push(100);
  const calls = Math.floor(((mib * MiB) / one.body.length) * 100) - 100;
  const rest = src.push(calls);
  return { body: Buffer.concat([one.body, rest.body]), records: [...one.records, ...rest.records] };
}

describe("large bodies", () => {
  it("stores a 12 MiB Cerbos push and a 12 MiB plain OPA batch whole (over the proxy's 10 MB default)", async () => {
    const cerbos = cerbosOf(12, "large-pdp");
    const c = await post("cerbos", cerbos.body, { "content-type": "application/x-ndjson" });
    expect(c.status, c.body.slice(0, 300)).toBe(200);
    expect(JSON.parse(c.body)).toMatchObject({ accepted: cerbos.records.length, rejectedCount: 0 });
    stored.push(...cerbos.records);

    const opa = new OpaEventSource("large-opa", 32);
    const first = opa.batch(100);
    const batch = opa.batch(Math.floor(((12 * MiB) / first.body.length) * 100));
    const o = await post("opa", batch.body, { "content-type": "application/json" });
    expect(o.status, o.body.slice(0, 300)).toBe(200);
    expect(JSON.parse(o.body)).toMatchObject({ accepted: batch.records.length, rejectedCount: 0 });
    stored.push(...batch.records);
  });

  it("stores a 15 MiB browser upload whole", async () => {
    const file = cerbosOf(15, "large-upload");
    const res = await request({
      ...ingestRequest(app.baseUrl, endpointNamed("upload"), creds, file.body, { "content-type": "application/octet-stream" }),
      url: `${app.baseUrl}/api/ingest/upload?filename=large.ndjson&pdp=large-upload`,
      timeoutMs: 180_000,
    });
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ accepted: file.records.length, rejectedCount: 0 });
    stored.push(...file.records);
  });

  it("refuses bodies over the limit with 413, also when they come chunked without a Content-Length", async () => {
    // 33 MiB of valid Cerbos lines (over the 32 MiB ingest limit), gzip-free, streamed chunked.
    const over = cerbosOf(33, "large-over");
    const chunked = await post("cerbos", over.body, { "content-type": "application/x-ndjson", "transfer-encoding": "chunked" });
    expect(chunked.status, chunked.body.slice(0, 300)).toBe(413);
    expect(jsonError(chunked)).toMatch(/limit/);
    const declared = await post("cerbos", over.body, { "content-type": "application/x-ndjson" });
    expect(declared.status).toBe(413);
  });

  it("leaves the database consistent", async () => {
    const report = await verifyIngestInvariants(db.pool, { acked: stored });
    expect(report.problems, describeProblems(report)).toEqual([]);
    expect(app.unexpectedExits()).toEqual([]);
    expect(app.processErrors).toEqual([]);
  });

  // KNOWN LIMITATION (proxy.ts / Next): the proxy layer reads the whole request body before the route
  // handler runs, so a body whose Content-Length is over the limit is no longer refused from the header
  // alone: the server waits for all of it (until Node's 300 s request timeout if it never comes). This
  // documents it; it fails (an `it.fails` that passes) once the ingest handlers see requests unbuffered.
  it.fails("KNOWN LIMITATION: refuses a declared 100 GB body from its Content-Length before the body arrives", async () => {
    const o = await request({
      ...ingestRequest(app.baseUrl, endpointNamed("cerbos"), creds, Buffer.from("[{},{},{}]"), { "content-length": String(100 * 1024 * MiB) }),
      timeoutMs: 10_000,
    });
    expect(o.status).toBe(413);
  });
});

