// npm run bench:trends — how long the denial-trends dashboard takes at BENCH_HOPS (default 10,000,000)
// hops over 30 days, on the real Postgres. Hops are generated in SQL (ingesting 10M records would take
// most of an hour here) with realistic spreads: 500 principals, 40 agents, 8 actions, 6 resource kinds,
// 5,000 resources, ~20% denials, 4 policy versions; the hourly rollup is then rebuilt from them.
import { fmt, withScratchDatabase } from "./scratch-db.ts";
import { rebuildRollup } from "../lib/ingest/rollup.ts";
import { buildTrendsDashboard, topDeniedResourcesAndTools } from "../lib/trends/dashboard.ts";
import type { ExplorerFilters } from "../lib/explorer/query-params.ts";

const N = Number(process.env.BENCH_HOPS ?? 10_000_000);
const DAYS = 30;
const END = Date.parse("2026-11-01T00:00:00Z");

await withScratchDatabase("trends", async (pool) => {
  const t0 = performance.now();
  await pool.query(`INSERT INTO ingest_batches (id, channel) VALUES (1, 'cli')`);
  // One carrier record keeps the foreign key honest; the hops are what the dashboard reads.
  await pool.query(
    `INSERT INTO records (id, engine, kind, format, pdp_instance, record_key, raw_bytes, raw_sha256, content_sha256, parsed, decided_at, batch_id, leaf_index, leaf_hash)
     VALUES (1, 'cerbos', 'decision', 'cerbos.file', 'bench', 'carrier', '\\x7b7d', '', '', '{}', now(), 1, 0, '')`,
  );
  // Indexes are built once after seeding (10x faster than maintaining them row by row), from their own definitions.
  const { rows: indexDefs } = await pool.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'hops' AND indexname <> 'hops_pkey'`,
  );
  for (const i of indexDefs) await pool.query(`DROP INDEX "${i.name}"`);
  const CHUNK = 1_000_000;
  for (let start = 0; start < N; start += CHUNK) {
    await pool.query(
      `INSERT INTO hops (record_id, input_index, decided_at, engine, pdp_instance, method, record_key, principal_id, roles, acting_agent,
                         action, resource_kind, resource_id, effect, policy, policy_source_ref, derived_roles, search_text)
       SELECT 1, 0,
              to_timestamp($3::double precision / 1000 - ${DAYS} * 86400 * random()),
              CASE WHEN i % 4 = 0 THEN 'opa' ELSE 'cerbos' END,
              'pdp-' || (i % 6),
              'CheckResources', 'k' || i,
              'user-' || (hashint % 500),
              ARRAY['user'],
              CASE WHEN i % 3 = 0 THEN 'agent:bot-' || (hashint % 40) ELSE NULL END,
              (ARRAY['view','edit','delete','approve','create','execute','invoke','share'])[1 + hashint % 8],
              (ARRAY['document','payment','ticket','mcp_tool','calendar_event','report'])[1 + (hashint / 8) % 6],
              'res-' || (hashint % 5000),
              CASE WHEN random() < 0.2 THEN 'deny' ELSE 'allow' END,
              'resource.' || (ARRAY['document','payment','ticket','mcp_tool','calendar_event','report'])[1 + (hashint / 8) % 6] || '.vdefault',
              'commit-' || (hashint % 4),
              ARRAY[]::text[],
              ''
         FROM (SELECT i, abs(hashtext(i::text)) AS hashint FROM generate_series($1::bigint, $2::bigint) AS i) g`,
      [start, Math.min(N, start + CHUNK) - 1, END],
    );
    process.stdout.write(`\rseeded ${fmt(Math.min(N, start + CHUNK))} hops`);
  }
  for (const i of indexDefs) await pool.query(i.def);
  const c = await pool.connect();
  try {
    await rebuildRollup(c);
  } finally {
    c.release();
  }
  await pool.query("ANALYZE");
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM hop_rollup`);
  console.log(`\nseeded ${fmt(N)} hops and ${fmt(Number(rows[0].n))} rollup rows in ${fmt((performance.now() - t0) / 1000)} s`);

  const cases: [string, ExplorerFilters, string?][] = [
    ["default window (7 days, hourly)", {}],
    ["30 days, daily", { from: "2026-10-02T00:00:00Z", to: "2026-10-31T23:59:59Z" }, "day"],
    ["7 days, one principal", { from: "2026-10-25T00:00:00Z", to: "2026-10-31T23:59:59Z", principal: "user-42" }],
    ["7 days, one agent, deny", { from: "2026-10-25T00:00:00Z", to: "2026-10-31T23:59:59Z", agent: "agent:bot-7", effect: "deny" }],
    ["partial hours at both ends", { from: "2026-10-25T10:17:00Z", to: "2026-10-31T13:42:00Z" }],
    ["7 days, resource id (raw hops only)", { from: "2026-10-25T00:00:00Z", to: "2026-10-31T23:59:59Z", rid: "res-17" }],
  ];
  console.log(`page first paint = charts (volume, deny rate, versions, 5 top-denied lists, spikes); then streamed: top denied resources and tools (raw hops):`);
  for (const [name, filters, bucket] of cases) {
    await buildTrendsDashboard(pool, filters, bucket); // warm the cache once, as a second visitor would
    const t = performance.now();
    const d = await buildTrendsDashboard(pool, filters, bucket, { resources: false });
    const charts = performance.now() - t;
    const t2 = performance.now();
    await topDeniedResourcesAndTools(pool, filters, { from: new Date(d.window.from), to: new Date(d.window.to) });
    const lists = performance.now() - t2;
    console.log(`  ${name.padEnd(40)} charts ${fmt(charts).padStart(5)} ms   resource/tool lists ${fmt(lists).padStart(5)} ms   (${fmt(d.totals.allow + d.totals.deny + d.totals.other)} decisions)`);
  }
});
