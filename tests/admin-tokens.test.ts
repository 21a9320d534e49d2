// Integration: scoped ingest tokens end to end — created through the admin API and the CLI, enforced by
// the ingest handler for both endpoints (scope, PDP attribution, per-token rate limit), revoked, and
// audited with the right actor and never the secret.
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createTokenRoute } from "../app/api/admin/tokens/route.ts";
import { POST as revokeTokenRoute } from "../app/api/admin/tokens/[id]/revoke/route.ts";
import { main } from "../bin/cli.ts";
import { cliActor } from "../bin/actor.ts";
import { TokenBucket } from "../lib/auth/rate-limit.ts";
import { handleIngestRequest, type IngestEndpointOptions } from "../lib/ingest/http.ts";
import { createToken, listTokens } from "../lib/ingest/tokens.ts";
import { auditFor, CLIENT, makeActor, params, request, uniqueName, type Actor } from "./admin-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
let admin: Actor;

beforeAll(async () => {
  admin = await makeActor(getPool(), ["admin"]);
});

function cerbosLine(callId = randomUUID()) {
  return (
    JSON.stringify({
      "log.logger": "cerbos.audit",
      "log.kind": "decision",
      callId,
      timestamp: "2026-11-23T18:19:58.393174653Z",
      checkResources: {
        inputs: [{ requestId: "r", principal: { id: "alice", roles: ["user"] }, resource: { kind: "document", id: "d" }, actions: ["view"] }],
        outputs: [{ requestId: "r", resourceId: "d", actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.document.vdefault" } } }],
      },
    }) + "\n"
  );
}

function opaBody(decisionId = randomUUID()) {
  return JSON.stringify([
    {
      labels: { app: "gateway", id: "opa-instance-1", version: "1.17.1" },
      decision_id: decisionId,
      path: "http/example/authz/allow",
      input: { method: "GET", path: ["salary", "bob"] },
      result: true,
      timestamp: "2026-11-20T10:00:00.123456789Z",
    },
  ]);
}

const ENDPOINTS: Record<"opa" | "cerbos", IngestEndpointOptions> = {
  opa: { channel: "http:opa", engine: "opa" },
  cerbos: { channel: "http:cerbos", engine: "cerbos" },
};

function push(endpoint: "opa" | "cerbos", token: string, body = endpoint === "opa" ? opaBody() : cerbosLine(), extra: Partial<IngestEndpointOptions> = {}) {
  const req = new Request(`http://localhost/api/ingest/${endpoint === "opa" ? "opa/logs" : "cerbos"}`, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  });
  return handleIngestRequest(req, getPool(), { ...ENDPOINTS[endpoint], ...extra });
}

async function createViaApi(body: unknown) {
  return createTokenRoute(request(admin, "POST", "/api/admin/tokens", body));
}

async function cli(args: string[]) {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  let out = "";
  let err = "";
  io.stdout.on("data", (d: Buffer) => (out += d.toString()));
  io.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await main(args, io);
  return { code, out, err };
}

describe("POST /api/admin/tokens", () => {
  it("creates a scoped token, shows the secret once, and audits token.create without it", async () => {
    const name = uniqueName("shipper");
    const res = await createViaApi({ name, endpoints: ["cerbos"], pdp: "cerbos-eu-1" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { token, info } = await res.json();
    expect(token).toMatch(/^hst_[\w-]{43}$/);
    expect(info).toMatchObject({ name, endpoints: ["cerbos"], pdp: "cerbos-eu-1", createdBy: admin.user.username, revokedAt: null });
    expect(token.startsWith(info.prefix)).toBe(true);

    const listed = (await listTokens(getPool())).find((t) => t.id === info.id)!;
    expect(listed).toMatchObject({ endpoints: ["cerbos"], pdp: "cerbos-eu-1", createdBy: admin.user.username });
    const { rows } = await getPool().query(`SELECT token_hash FROM ingest_tokens WHERE id = $1`, [info.id]);
    expect(rows[0].token_hash).not.toContain(token.slice(4));

    const events = await auditFor(getPool(), info.id);
    expect(events).toEqual([
      {
        actor: admin.user.username,
        action: "token.create",
        target: info.id,
        origin: CLIENT,
        details: { name, prefix: info.prefix, endpoints: ["cerbos"], pdp: "cerbos-eu-1", userAgent: "admin-test/1.0" },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it("defaults the PDP instance to the name and answers bad input naming the field", async () => {
    const name = uniqueName("both");
    const ok = await createViaApi({ name, endpoints: ["opa", "cerbos"] });
    expect((await ok.json()).info).toMatchObject({ endpoints: ["opa", "cerbos"], pdp: name });
    const cases: [unknown, RegExp][] = [
      [{ name: "x", endpoints: ["ldap"] }, /unknown ingest endpoint "ldap"/],
      [{ name: "x", endpoints: [] }, /`endpoints` needs at least one/],
      [{ name: "x" }, /`endpoints`/],
      [{ name: "has space", endpoints: ["opa"] }, /token name may contain/],
      [{ name: "x", endpoints: ["opa"], pdp: "bad pdp!" }, /PDP instance may contain/],
      [{ name: "x", endpoints: ["opa"], secret: "mine" }, /secret/],
    ];
    for (const [body, message] of cases) {
      const res = await createViaApi(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
  });
});

describe("ingest token scopes", () => {
  it("refuses an endpoint outside the token's scope with 403 naming the token and its endpoints, for both endpoints", async () => {
    const cerbosOnly = await createToken(getPool(), uniqueName("cerbos-only"), { endpoints: ["cerbos"] });
    const opaOnly = await createToken(getPool(), uniqueName("opa-only"), { endpoints: ["opa"] });
    const a = await push("opa", cerbosOnly.token);
    expect(a.status).toBe(403);
    expect(await a.json()).toEqual({
      error: `token "${cerbosOnly.info.name}" may not push to the opa endpoint (it is scoped to: cerbos)`,
      allowedEndpoints: ["cerbos"],
    });
    const b = await push("cerbos", opaOnly.token);
    expect(b.status).toBe(403);
    expect((await b.json()).error).toBe(`token "${opaOnly.info.name}" may not push to the cerbos endpoint (it is scoped to: opa)`);
    expect((await push("cerbos", cerbosOnly.token)).status).toBe(200);
    expect((await push("opa", opaOnly.token)).status).toBe(200);
  });

  it("attributes Cerbos records to the token's PDP instance; OPA events keep their own labels.id", async () => {
    const { token } = await createToken(getPool(), uniqueName("shipper"), { endpoints: ["cerbos", "opa"], pdp: "cerbos-eu-2" });
    const callId = randomUUID();
    expect((await push("cerbos", token, cerbosLine(callId))).status).toBe(200);
    const decisionId = randomUUID();
    expect((await push("opa", token, opaBody(decisionId))).status).toBe(200);
    const { rows } = await getPool().query(`SELECT record_key, pdp_instance FROM records WHERE record_key = ANY($1) ORDER BY engine`, [[callId, decisionId]]);
    expect(rows).toEqual([
      { record_key: callId, pdp_instance: "cerbos-eu-2" },
      { record_key: decisionId, pdp_instance: "opa-instance-1" },
    ]);
  });

  it("keeps tokens made before scopes working: both endpoints, PDP instance = name", async () => {
    const name = uniqueName("legacy");
    const token = "hst_" + randomUUID().replaceAll("-", "") + "legacy";
    const { createHash } = await import("node:crypto");
    await getPool().query(`INSERT INTO ingest_tokens (id, name, token_hash, prefix) VALUES (gen_random_uuid(), $1, $2, $3)`, [
      name,
      createHash("sha256").update(token).digest("hex"),
      token.slice(0, 10),
    ]);
    const legacy = (await listTokens(getPool())).find((t) => t.name === name)!;
    expect(legacy).toMatchObject({ endpoints: ["opa", "cerbos"], pdp: name, createdBy: null });
    const callId = randomUUID();
    expect((await push("cerbos", token, cerbosLine(callId))).status).toBe(200);
    expect((await push("opa", token)).status).toBe(200);
    const { rows } = await getPool().query(`SELECT pdp_instance FROM records WHERE record_key = $1`, [callId]);
    expect(rows).toEqual([{ pdp_instance: name }]);
  });

  it("rate-limits per token after a burst: 429 with Retry-After before the body is read, other tokens unaffected", async () => {
    let now = 1_000_000;
    const limiter = new TokenBucket(3, 0.5, () => now); // bursts of 3, then one request per 2 s
    const busy = await createToken(getPool(), uniqueName("busy"));
    const calm = await createToken(getPool(), uniqueName("calm"));
    for (let i = 0; i < 3; i++) expect((await push("opa", busy.token, opaBody(), { rateLimiter: limiter })).status).toBe(200);
    // A body that would be a 400 if it were read: the 429 comes first.
    const limited = await push("opa", busy.token, "not json", { rateLimiter: limiter });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect((await limited.json()).error).toBe(`token "${busy.info.name}" is over its ingest rate limit; retry in 2 s`);
    expect((await push("cerbos", calm.token, cerbosLine(), { rateLimiter: limiter })).status).toBe(200);
    now += 2_000;
    expect((await push("opa", busy.token, opaBody(), { rateLimiter: limiter })).status).toBe(200);
    expect((await push("opa", busy.token, opaBody(), { rateLimiter: limiter })).status).toBe(429);
  });
});

describe("POST /api/admin/tokens/[id]/revoke", () => {
  it("revokes once (the token stops working), audits token.revoke, and names the problem otherwise", async () => {
    const res = await createViaApi({ name: uniqueName("doomed"), endpoints: ["opa"] });
    const { token, info } = await res.json();
    expect((await push("opa", token)).status).toBe(200);
    const revoke = () => revokeTokenRoute(request(admin, "POST", `/api/admin/tokens/${info.id}/revoke`), params({ id: info.id }));
    const first = await revoke();
    expect(first.status).toBe(200);
    expect((await first.json()).info.revokedAt).toEqual(expect.any(String));
    expect((await push("opa", token)).status).toBe(401);
    const again = await revoke();
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/already revoked \(since /);
    const unknownId = randomUUID();
    expect((await revokeTokenRoute(request(admin, "POST", "/x"), params({ id: unknownId }))).status).toBe(404);
    const bad = await revokeTokenRoute(request(admin, "POST", "/x"), params({ id: "nope" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/not a UUID/);
    const events = await auditFor(getPool(), info.id);
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      [admin.user.username, "token.create"],
      [admin.user.username, "token.revoke"],
    ]);
    expect(events[1].details).toMatchObject({ name: info.name, prefix: info.prefix });
    expect(JSON.stringify(events)).not.toContain(token);
  });
});

describe("hindsight tokens (CLI)", () => {
  it("create --endpoint --pdp --json prints the scoped token and records token.create as the CLI actor", async () => {
    const name = uniqueName("cli-shipper");
    const { code, out } = await cli(["tokens", "create", "--name", name, "--endpoint", "cerbos", "--pdp", "cerbos-cli-1", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toEqual({ id: expect.any(String), name, token: expect.stringMatching(/^hst_/), endpoints: ["cerbos"], pdp: "cerbos-cli-1", createdBy: cliActor() });
    const events = await auditFor(getPool(), json.id);
    expect(events).toEqual([
      { actor: cliActor(), action: "token.create", target: json.id, origin: "cli", details: { name, prefix: json.token.slice(0, 10), endpoints: ["cerbos"], pdp: "cerbos-cli-1" } },
    ]);
    expect(JSON.stringify(events)).not.toContain(json.token);

    const plain = await cli(["tokens", "create", "--name", uniqueName("cli-plain")]);
    expect(plain.code).toBe(0);
    expect(plain.out.trim()).toMatch(/^hst_[\w-]{43}$/);
    expect(plain.err).toMatch(/endpoints: opa, cerbos/);

    const revoked = await cli(["tokens", "revoke", json.id]);
    expect(revoked).toMatchObject({ code: 0, out: "revoked 1 token\n" });
    expect((await auditFor(getPool(), json.id)).map((e) => [e.actor, e.action])).toEqual([
      [cliActor(), "token.create"],
      [cliActor(), "token.revoke"],
    ]);
  });

  it("refuses unknown endpoints and bad PDP names with exit 2", async () => {
    const bad = await cli(["tokens", "create", "--name", "x", "--endpoint", "ldap"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--endpoint: unknown ingest endpoint "ldap"/);
    const badPdp = await cli(["tokens", "create", "--name", "x", "--pdp", "a b"]);
    expect(badPdp.code).toBe(2);
    expect(badPdp.err).toMatch(/--pdp: PDP instance may contain/);
  });
});
