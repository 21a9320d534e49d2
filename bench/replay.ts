// npm run bench:replay — decisions/s of batch replay (an impact run) from the real Postgres, and the
// process's peak memory, for BENCH_DECISIONS (default 1,000,000) stored Cerbos decisions.
// Policies: derived roles + conditions; each decision has one resource and three actions.
// Uses DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test); works in a scratch database.
import { fmt, withScratchDatabase } from "./scratch-db.ts";
import { compileCerbosPolicies } from "../lib/engine/cerbos/index.ts";
import { BatchWriter, createBatch } from "../lib/ingest/ingest.ts";
import { parseDecisionLog } from "../lib/formats/index.ts";
import { createImpactRun, executeImpactRun } from "../lib/replay/impact.ts";

const N = Number(process.env.BENCH_DECISIONS ?? 1_000_000);

const DERIVED = `apiVersion: api.cerbos.dev/v1
derivedRoles:
  name: bench_roles
  definitions:
    - name: owner
      parentRoles: ["user"]
      condition:
        match:
          expr: request.resource.attr.owner == request.principal.id
    - name: same_department
      parentRoles: ["user"]
      condition:
        match:
          expr: request.resource.attr.department == request.principal.attr.department
`;
const resourcePolicy = (limit: number) => `apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: document
  importDerivedRoles: ["bench_roles"]
  rules:
    - actions: ["view"]
      effect: EFFECT_ALLOW
      derivedRoles: ["owner", "same_department"]
    - actions: ["edit"]
      effect: EFFECT_ALLOW
      derivedRoles: ["owner"]
      condition:
        match:
          all:
            of:
              - expr: "!request.resource.attr.locked"
              - expr: request.resource.attr.amount < ${limit}
    - actions: ["delete"]
      effect: EFFECT_ALLOW
      roles: ["admin"]
`;
function compile(limit: number) {
  const out = compileCerbosPolicies({ policies: [{ path: "derived.yaml", text: DERIVED }, { path: "document.yaml", text: resourcePolicy(limit) }], schemas: [] });
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return out.policySet!;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

await withScratchDatabase("replay", async (pool) => {
  const recorded = compile(5000);
  const candidate = compile(1000);

  // Seed: decisions as the recorded policy made them, ingested through the normal path.
  const t0 = performance.now();
  const batchId = await createBatch(pool, { channel: "cli", origin: "bench" }, 0);
  const writer = new BatchWriter(pool, batchId, { channel: "cli", pdpInstance: "bench" });
  const base = Date.parse("2026-01-01T00:00:00Z");
  const CHUNK = 10_000;
  for (let start = 0; start < N; start += CHUNK) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(N, start + CHUNK); i++) {
      const principal = { id: `user-${i % 500}`, roles: i % 97 === 0 ? ["user", "admin"] : ["user"], attr: { department: `d${i % 7}` } };
      const resource = { kind: "document", id: `doc-${i}`, attr: { owner: `user-${(i * 7) % 500}`, department: `d${i % 5}`, locked: i % 11 === 0, amount: (i * 37) % 9000 } };
      const input = { requestId: `r${i}`, principal, resource, actions: ["view", "edit", "delete"] };
      const out = recorded.check(input, { now: new Date(base + i * 50) });
      lines.push(JSON.stringify({ callId: `B${String(i).padStart(25, "0")}`, timestamp: new Date(base + i * 50).toISOString(), checkResources: { inputs: [input], outputs: [{ requestId: input.requestId, resourceId: resource.id, actions: out.actions, effectiveDerivedRoles: out.effectiveDerivedRoles }] } }));
    }
    const parsed = parseDecisionLog(Buffer.from(lines.join("\n")));
    await writer.add(parsed.records, parsed.rejected);
  }
  await writer.finish();
  const seedMs = performance.now() - t0;
  console.log(`seeded ${fmt(N)} decisions (${fmt(N * 3)} hops) in ${fmt(seedMs / 1000)} s`);
  await pool.query("ANALYZE");

  peakRss = process.memoryUsage().rss;
  const runId = await createImpactRun(pool, "0", {}, "bench");
  const tr = performance.now();
  const progress = await executeImpactRun(pool, runId, candidate);
  const replayMs = performance.now() - tr;
  clearInterval(sampler);
  console.log(`impact run: ${fmt(progress.decisions)} decisions, ${fmt(progress.actions)} actions, ${fmt(progress.allowToDeny)} allow→deny, ${fmt(progress.denyToAllow)} deny→allow, ${fmt(progress.skipped)} skipped`);
  console.log(`batch replay: ${fmt(progress.decisions / (replayMs / 1000))} decisions/s (${fmt(replayMs / 1000)} s; goal >= 20,000/s)`);
  console.log(`peak RSS during the run: ${fmt(peakRss / 1024 / 1024)} MiB`);
});
clearInterval(sampler);
