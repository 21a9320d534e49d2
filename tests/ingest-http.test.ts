// Integration: the HTTP ingest protocol (what OPA and log shippers see), called as Request → Response.
import { randomUUID } from "node:crypto";
import zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { handleIngestRequest } from "../lib/ingest/http.ts";
import { createToken, revokeToken } from "../lib/ingest/tokens.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
let token = "";
let tokenName = "";

beforeAll(async () => {
  tokenName = uniquePdp("opa");
  token = (await createToken(getPool(), tokenName)).token;
});

function opaEvent(overrides: Record<string, unknown> = {}) {
  return {
    labels: { app: "gateway", id: tokenName + "-instance", version: "1.17.1" },
    decision_id: randomUUID(),
    bundles: { authz: { revision: "rev-1" } },
    path: "http/example/authz/allow",
    input: { method: "GET", path: ["salary", "bob"], subject: { id: "bob" } },
    result: true,
    requested_by: "[::1]:59943",
    timestamp: "2026-11-20T10:00:00.123456789Z",
    ...overrides,
  };
}

function post(path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
  });
}

const opa = (req: Request, extra = {}) => handleIngestRequest(req, getPool(), { channel: "http:opa", engine: "opa", ...extra });

describe("POST /api/ingest/opa/logs", () => {
  it("accepts a gzip JSON array as OPA uploads it, and answers 2xx only after storing", async () => {
    const events = [opaEvent(), opaEvent({ result: false })];
    const res = await opa(post("/api/ingest/opa/logs", zlib.gzipSync(JSON.stringify(events)), { "content-encoding": "gzip" }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, duplicate: 0, conflict: 0, rejected: [] });
    const { rows } = await getPool().query(`SELECT effect FROM hops WHERE record_key = ANY($1) ORDER BY effect`, [events.map((e) => e.decision_id)]);
    expect(rows.map((r) => r.effect)).toEqual(["allow", "deny"]);
  });

  it("is idempotent on decision_id when OPA re-sends a chunk whose 2xx was lost", async () => {
    const events = [opaEvent()];
    const gz = zlib.gzipSync(JSON.stringify(events));
    await opa(post("/x", gz, { "content-encoding": "gzip" }));
    const res = await opa(post("/x", gz, { "content-encoding": "gzip" }));
    expect(await res.json()).toMatchObject({ accepted: 0, duplicate: 1 });
  });

  it("accepts plain JSON too", async () => {
    const res = await opa(post("/x", JSON.stringify([opaEvent()])));
    expect(res.status).toBe(200);
  });

  it("requires a live bearer token", async () => {
    const noAuth = await opa(new Request("http://localhost/x", { method: "POST", body: "[]" }));
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await opa(post("/x", "[]", { authorization: "Bearer hst_nope" }));
    expect(wrong.status).toBe(401);
    const name = uniquePdp("revoked");
    const { token: t } = await createToken(getPool(), name);
    await revokeToken(getPool(), name);
    const revoked = await opa(post("/x", "[]", { authorization: `Bearer ${t}` }));
    expect(revoked.status).toBe(401);
  });

  it("answers bad input with a 4xx and a JSON body naming the problem", async () => {
    const cases: [string, Request, number, RegExp][] = [
      ["malformed JSON", post("/x", "[{\"decision_id\": "), 400, /.+/],
      ["empty body", post("/x", ""), 400, /empty/],
      ["not gzip", post("/x", "hello", { "content-encoding": "gzip" }), 400, /not gzip/],
      ["truncated gzip", post("/x", zlib.gzipSync(JSON.stringify([opaEvent()])).subarray(0, 20), { "content-encoding": "gzip" }), 400, /corrupt or truncated/],
      ["unsupported encoding", post("/x", "x", { "content-encoding": "br" }), 415, /not supported/],
      ["wrong shape", post("/x", JSON.stringify([{ hello: 1 }])), 400, /.+/],
    ];
    for (const [name, req, status, message] of cases) {
      const res = await opa(req);
      expect(res.status, name).toBe(status);
      const body = await res.json();
      const text = body.error ?? body.rejected?.map((r: { reason: string }) => r.reason).join("; ");
      expect(text, name).toMatch(message);
    }
  });

  it("refuses oversized bodies and gzip bombs with 413", async () => {
    const big = await opa(post("/x", Buffer.alloc(2048, 0x20)), { maxBodyBytes: 1024 });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/limit/);
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const res = await opa(post("/x", bomb, { "content-encoding": "gzip" }), { maxDecodedBytes: 10 * 1024 * 1024 });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/gzip bomb/);
  });

  it("stores the valid events of a partly bad batch and lists the rejected ones", async () => {
    const res = await opa(post("/x", JSON.stringify([opaEvent(), { decision_id: "x" }, opaEvent()])));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0].line).toBe(2);
  });

  it("counts every rejected item but lists only the first 1,000", async () => {
    const items = 100_000;
    const gz = zlib.gzipSync("[" + Array(items).fill("{}").join(",") + "]");
    const res = await opa(post("/x", gz, { "content-encoding": "gzip" }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(1024 * 1024);
    const body = JSON.parse(text);
    expect(body.rejectedCount).toBe(items);
    expect(body.rejected).toHaveLength(1_000);
    expect(body.rejected[999].line).toBe(1_000);
  });

  it("rejects a body of more items than the per-request limit whole, before parsing them (millions fit in a few KB of gzip)", async () => {
    for (const layout of ["array", "ndjson"] as const) {
      const items = Array(20_001).fill("{}");
      const body = layout === "array" ? "[" + items.join(",") + "]" : items.join("\n");
      const res = await opa(post("/x", zlib.gzipSync(body), { "content-encoding": "gzip" }), { maxItems: 20_000 });
      expect(res.status).toBe(400);
      const answer = await res.json();
      expect(answer).toMatchObject({ accepted: 0, rejectedCount: 1 });
      expect(answer.rejected[0].reason).toMatch(/more than 20,000 items/);
    }
    const atLimit = await opa(post("/x", JSON.stringify([opaEvent(), ...Array(19_999).fill({})])), { maxItems: 20_000 });
    expect(await atLimit.json()).toMatchObject({ accepted: 1, rejectedCount: 19_999 });
  });
});

describe("POST /api/ingest/cerbos", () => {
  it("takes Cerbos file-backend NDJSON and names the PDP after the token", async () => {
    const callId = "01M84T5QHRW4BV8ES7YQ8A2H" + Math.floor(Math.random() * 90 + 10);
    const line = {
      "log.logger": "cerbos.audit",
      "log.kind": "decision",
      callId,
      timestamp: "2026-11-23T18:19:58.393174653Z",
      checkResources: {
        inputs: [{ requestId: "r", principal: { id: "alice", roles: ["user"] }, resource: { kind: "document", id: "d" }, actions: ["view"] }],
        outputs: [{ requestId: "r", resourceId: "d", actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.document.vdefault" } } }],
      },
    };
    const res = await handleIngestRequest(post("/api/ingest/cerbos", JSON.stringify(line) + "\n"), getPool(), {
      channel: "http:cerbos",
      engine: "cerbos",
    });
    expect(res.status).toBe(200);
    const { rows } = await getPool().query(`SELECT pdp_instance FROM records WHERE record_key = $1`, [callId]);
    expect(rows).toEqual([{ pdp_instance: tokenName }]);
  });
});
