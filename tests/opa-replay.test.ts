// OPA decisions replay with the embedded Rego engine against the bundle revision they name.
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { importDirectory } from "../lib/policies/index.ts";
import { decisionQuery } from "../lib/replay/opa-replay.ts";
import { replayRecord } from "../lib/replay/record-replay.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

const POLICY = (limit: number) => `package agents.tools

import rego.v1

default allow := false

# An agent may invoke a tool when its token carries the tool's scope and the amount is under the limit.
allow if {
  input.resource.required_scope in input.subject.scopes
  object.get(input, ["context", "amount"], 0) < ${limit}
}
`;

async function writeBundle(revision: string, limit: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "opa-bundle-"));
  await mkdir(path.join(dir, "agents"), { recursive: true });
  await writeFile(path.join(dir, ".manifest"), JSON.stringify({ revision, roots: ["agents"] }));
  await writeFile(path.join(dir, "agents", "tools.rego"), POLICY(limit));
  await writeFile(path.join(dir, "agents", "data.json"), JSON.stringify({ owners: ["alice"] }));
  return dir;
}

function event(pdp: string, i: number, revision: string, result: unknown, amount: number) {
  return {
    labels: { id: pdp },
    decision_id: `${pdp}-${i}`,
    bundles: { agents: { revision } },
    path: "agents/tools/allow",
    input: { subject: { id: "agent:bot", scopes: ["fx:quote"] }, resource: { kind: "mcp_tool", id: "mcp://fx/quote", required_scope: "fx:quote" }, context: { amount } },
    result,
    timestamp: `2026-08-0${i + 1}T10:00:00Z`,
  };
}

describe("OPA replay", () => {
  it("maps decision paths to queries", () => {
    expect(decisionQuery("http/example/authz/allow")).toBe("data.http.example.authz.allow");
    expect(decisionQuery("/v1/data/a/b-c")).toBe('data.a["b-c"]');
  });

  it("replays against the bundle revision a record names, and against another revision", async () => {
    const pool = getPool();
    const pdp = uniquePdp("opa-replay");
    const rev1 = `rev-${pdp}-1`;
    const rev2 = `rev-${pdp}-2`;
    const v1 = await importDirectory(pool, await writeBundle(rev1, 10_000), { source: `bundle:${pdp}` });
    expect(v1.version).toMatchObject({ engine: "opa", label: rev1, compileErrors: null });
    expect(v1.commit.ref).toBe(rev1);
    const v2 = await importDirectory(pool, await writeBundle(rev2, 1_000), { source: `bundle:${pdp}` });

    const lines = [event(pdp, 0, rev1, true, 5_000), event(pdp, 1, rev1, true, 50_000)].map((e) => JSON.stringify(e));
    await ingestBytes(pool, Buffer.from(lines.join("\n")), { channel: "cli" });
    const { rows } = await pool.query<{ id: string; record_key: string }>(`SELECT id::text, record_key FROM records WHERE pdp_instance = $1 ORDER BY record_key`, [pdp]);

    const faithful = await replayRecord(pool, rows[0].id, { kind: "resolved" });
    expect(faithful.engine).toBe("opa");
    expect(faithful.status).toBe("reproduced");
    expect(faithful.target).toMatchObject({ kind: "version", resolvedBy: "bundle_revision", ref: rev1 });
    expect(faithful.opa).toMatchObject({ query: "data.agents.tools.allow", recorded: { result: true, effect: "allow" }, replayed: { result: true, effect: "allow" } });

    // The second record claims an allow the bundle would not give (amount over the limit): diverged.
    const tampered = await replayRecord(pool, rows[1].id, { kind: "resolved" });
    expect(tampered.status).toBe("diverged");
    expect(tampered.opa?.replayed).toMatchObject({ result: false, effect: "deny" });

    const underV2 = await replayRecord(pool, rows[0].id, { kind: "version", ref: v2.version.id });
    expect(underV2.status).toBe("diverged");
    expect(underV2.opa?.replayed.effect).toBe("deny");
  });
});
