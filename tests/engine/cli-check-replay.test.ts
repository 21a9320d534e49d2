// `hindsight check` and `hindsight replay`: output contracts, exit codes, compile errors.
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import check from "../../bin/commands/check.ts";
import replay from "../../bin/commands/replay.ts";

const POLICIES = new URL("../../lib/engine/cerbos/testdata/policies", import.meta.url).pathname;
const LOG = new URL("../../lib/engine/cerbos/testdata/decision-log.ndjson", import.meta.url).pathname;

async function run(cmd: typeof check, args: string[], stdin = "") {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  let out = "";
  let err = "";
  io.stdout.on("data", (d: Buffer) => (out += d.toString()));
  io.stderr.on("data", (d: Buffer) => (err += d.toString()));
  io.stdin.end(stdin);
  const code = await cmd(args, io);
  return { code, out, err };
}

const request = {
  requestId: "r1",
  includeMeta: true,
  principal: { id: "bob", roles: ["user"], attr: { level: 1, teams: ["eng"] } },
  resources: [
    { resource: { kind: "document", id: "d1", attr: { owner: "bob", status: "draft", amount: 5, tags: ["eng"] } }, actions: ["view", "delete"] },
    { resource: { kind: "document", id: "d2", scope: "acme", attr: { owner: "carol" } }, actions: ["view:summary"] },
  ],
};

describe("hindsight check", () => {
  it("answers NDJSON requests in the Cerbos HTTP API shape", async () => {
    const { code, out } = await run(check, ["--policies", POLICIES, "--now", "2026-01-01T00:00:00Z"], JSON.stringify(request) + "\n");
    expect(code).toBe(0);
    const res = JSON.parse(out.trim());
    expect(res.requestId).toBe("r1");
    expect(res.results[0].resource).toEqual({ id: "d1", kind: "document" });
    expect(res.results[0].actions).toEqual({ view: "EFFECT_ALLOW", delete: "EFFECT_DENY" });
    expect(res.results[0].meta.actions.view.matchedPolicy).toBe("resource.document.vdefault");
    expect(res.results[0].outputs[0]).toMatchObject({ src: "resource.document.vdefault#owner-edit", action: "view" });
    expect(res.results[1].resource).toEqual({ id: "d2", kind: "document", scope: "acme" });
  });

  it("decodes auxData.jwt tokens without verifying them", async () => {
    const payload = Buffer.from(JSON.stringify({ iss: "cerbos", aud: "cerbos-jwt-tests", exp: 32503680000 })).toString("base64url");
    const token = `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${payload}.c2ln`;
    const req = {
      requestId: "jwt",
      principal: { id: "agent-9", roles: ["agent"], attr: {} },
      resources: [{ resource: { kind: "document", id: "d", attr: { owner: "x", createdAt: "2025-12-01T00:00:00Z" } }, actions: ["view"] }],
      auxData: { jwt: { token } },
    };
    const { out } = await run(check, ["--policies", POLICIES, "--now", "2026-01-01T00:00:00Z"], JSON.stringify(req) + "\n");
    expect(JSON.parse(out).results[0].actions.view).toBe("EFFECT_ALLOW");
  });

  it("reports bad lines on stderr and keeps going", async () => {
    const { code, out, err } = await run(check, ["--policies", POLICIES], "not json\n" + JSON.stringify({ principal: {} }) + "\n" + JSON.stringify(request) + "\n");
    expect(code).toBe(1);
    expect(err).toMatch(/line 1: invalid JSON/);
    expect(err).toMatch(/line 2: invalid request: principal.id/);
    expect(out.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 on unusable arguments", async () => {
    expect((await run(check, [])).code).toBe(2);
    expect((await run(check, ["--policies", POLICIES, "--now", "yesterday"])).code).toBe(2);
    expect((await run(check, ["--policies", "/nonexistent/dir"])).code).toBe(2);
  });

  it("exits 2 with file and line when policies do not compile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hindsight-bad-policies-"));
    mkdirSync(join(dir, "resource_policies"));
    writeFileSync(
      join(dir, "resource_policies", "bad.yaml"),
      ["apiVersion: api.cerbos.dev/v1", "resourcePolicy:", "  resource: doc", "  version: default", "  rules:", "    - actions: [view]", "      roles: [user]", "      effect: EFFECT_ALLOW", "      condition:", "        match:", "          expr: R.attr.x ==", ""].join("\n"),
    );
    const { code, err } = await run(check, ["--policies", dir]);
    expect(code).toBe(2);
    expect(err).toMatch(/resource_policies\/bad\.yaml:11:\d+: Invalid expression/);
  });
});

describe("hindsight replay", () => {
  it("replays decision entries with their timestamps and logged JWT claims", async () => {
    const { code, out, err } = await run(replay, ["--policies", POLICIES, "--log", LOG]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      callId: "01J0000000000000000000000A",
      inputIndex: 0,
      requestId: "req-1",
      resourceId: "doc-1",
      recorded: { view: "EFFECT_ALLOW", edit: "EFFECT_ALLOW", delete: "EFFECT_DENY" },
      replayed: { view: "EFFECT_ALLOW", edit: "EFFECT_ALLOW", delete: "EFFECT_DENY" },
      match: true,
    });
    expect(lines[1]).toMatchObject({ inputIndex: 1, resourceId: "doc-2", match: false });
    expect(lines[2]).toMatchObject({ callId: "01J0000000000000000000000B", replayed: { view: "EFFECT_ALLOW" }, match: true });
    expect(err).toMatch(/2 entries, 3 inputs, 7 actions: 6 match, 1 mismatch/);
  });

  it("prints a JSON summary with --json and honours --now", async () => {
    const { err, out } = await run(replay, ["--policies", POLICIES, "--log", LOG, "--json", "--now", "2100-01-01T00:00:00Z"]);
    const summary = JSON.parse(err.trim().split("\n").pop()!);
    expect(summary).toMatchObject({ entries: 2, inputs: 3, actions: 7 });
    // A century later the agent's document is too old for the time-based rule.
    expect(JSON.parse(out.trim().split("\n")[2]!).replayed.view).toBe("EFFECT_DENY");
  });

  it("exits 2 on unusable arguments", async () => {
    expect((await run(replay, ["--policies", POLICIES])).code).toBe(2);
    expect((await run(replay, ["--policies", POLICIES, "--log", "/nonexistent.log"])).code).toBe(2);
  });
});

describe("hindsight check --jwks", () => {
  it("verifies JWT signatures when a key set is given", async () => {
    const { generateKeyPair, exportJWK, SignJWT } = await import("jose");
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    const dir = mkdtempSync(join(tmpdir(), "hindsight-jwks-"));
    const jwksPath = join(dir, "jwks.json");
    writeFileSync(jwksPath, JSON.stringify({ keys: [jwk] }));
    const good = await new SignJWT({ iss: "cerbos", aud: "cerbos-jwt-tests" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setExpirationTime(32503680000).sign(privateKey);
    const forged = good.slice(0, good.lastIndexOf(".") + 1) + "AAAA";
    const req = (token: string) => ({
      requestId: "j",
      principal: { id: "agent-9", roles: ["agent"], attr: {} },
      resources: [{ resource: { kind: "document", id: "d", attr: { owner: "x", createdAt: "2025-12-01T00:00:00Z" } }, actions: ["view"] }],
      auxData: { jwt: { token } },
    });
    const input = [req(good), req(forged)].map((r) => JSON.stringify(r)).join("\n") + "\n";
    const { code, out, err } = await run(check, ["--policies", POLICIES, "--now", "2026-01-01T00:00:00Z", "--jwks", jwksPath], input);
    expect(code).toBe(1);
    expect(JSON.parse(out.trim()).results[0].actions.view).toBe("EFFECT_ALLOW");
    expect(err).toMatch(/line 2: auxData JWT rejected/);
  });
});
