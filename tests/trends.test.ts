// Integration: trend aggregates (rollup + raw edges) agree with a plain count over hops.
import { describe, expect, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { countHops } from "../lib/trends/aggregate.ts";
import { buildTrendsDashboard } from "../lib/trends/dashboard.ts";
import { detectSpikes } from "../lib/trends/spikes.ts";
import { planWindow } from "../lib/trends/window.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

function opaLine(pdp: string, i: number, at: Date, allow: boolean, subject = "bob", rev = "r1") {
  return JSON.stringify({
    labels: { id: pdp },
    decision_id: `${pdp}-${i}`,
    bundles: { authz: { revision: rev } },
    path: "agents/tools/allow",
    input: { action: i % 2 ? "call" : "read", subject: { id: subject }, resource: { kind: "mcp_tool", id: `tool-${i % 3}` } },
    result: allow,
    timestamp: at.toISOString(),
  });
}

describe("trends", () => {
  it("splits a window into whole rollup hours and raw partial edges", () => {
    const plan = planWindow({ from: new Date("2026-01-01T10:20:00Z"), to: new Date("2026-01-01T14:05:00Z") });
    expect(plan.rollup).toEqual({ from: new Date("2026-01-01T11:00:00Z"), to: new Date("2026-01-01T14:00:00Z") });
    expect(plan.raw).toEqual([
      { from: new Date("2026-01-01T10:20:00Z"), to: new Date("2026-01-01T11:00:00Z") },
      { from: new Date("2026-01-01T14:00:00Z"), to: new Date("2026-01-01T14:05:00Z") },
    ]);
    expect(planWindow({ from: new Date("2026-01-01T10:20:00Z"), to: new Date("2026-01-01T10:50:00Z") }).rollup).toBeNull();
  });

  it("counts exactly over partial hours, with and without filters the rollup cannot answer", async () => {
    const pool = getPool();
    const pdp = uniquePdp("trend");
    const base = Date.parse("2026-03-01T00:00:00Z");
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(opaLine(pdp, i, new Date(base + i * 61_000), i % 4 !== 0));
    await ingestBytes(pool, Buffer.from(lines.join("\n")), { channel: "cli" });
    const window = { from: new Date(base + 17 * 60_000), to: new Date(base + 4 * 3_600_000 + 7 * 60_000) };
    const { rows } = await pool.query(
      `SELECT effect, count(*)::int AS n FROM hops WHERE pdp_instance = $1 AND decided_at >= $2 AND decided_at < $3 GROUP BY 1 ORDER BY 1`,
      [pdp, window.from, window.to],
    );
    const viaRollup = await countHops(pool, { pdp }, window, ["effect"]);
    expect(viaRollup.map((r) => ({ effect: r.effect, n: r.n }))).toEqual(rows);
    const viaRaw = await countHops(pool, { pdp, rid: "tool-1" }, window, ["effect"]);
    const { rows: rawRows } = await pool.query(
      `SELECT effect, count(*)::int AS n FROM hops WHERE pdp_instance = $1 AND resource_id = 'tool-1' AND decided_at >= $2 AND decided_at < $3 GROUP BY 1 ORDER BY 1`,
      [pdp, window.from, window.to],
    );
    expect(viaRaw.map((r) => ({ effect: r.effect, n: r.n }))).toEqual(rawRows);
  });

  it("finds a deny spike against the trailing baseline and names its top contributors", async () => {
    const pool = getPool();
    const pdp = uniquePdp("spike");
    const base = Date.parse("2026-04-01T00:00:00Z");
    const lines: string[] = [];
    let i = 0;
    for (let h = 0; h < 30; h++) {
      for (let k = 0; k < 10; k++) lines.push(opaLine(pdp, i++, new Date(base + h * 3_600_000 + k * 60_000), k !== 0, "bob", h < 20 ? "r1" : "r2"));
      if (h === 26) for (let k = 0; k < 25; k++) lines.push(opaLine(pdp, i++, new Date(base + h * 3_600_000 + 30 * 60_000 + k), false, "mallory", "r2"));
    }
    await ingestBytes(pool, Buffer.from(lines.join("\n")), { channel: "cli" });
    const dash = await buildTrendsDashboard(pool, { pdp, from: "2026-04-01T00:00:00Z", to: "2026-04-02T05:59:59Z" }, "hour");
    expect(dash.bucket).toBe("hour");
    expect(dash.totals.deny).toBe(30 + 25);
    expect(dash.spikes.map((s) => s.from)).toEqual(["2026-04-02T02:00:00.000Z"]);
    expect(dash.spikes[0].contributors).toContainEqual({ dimension: "principal", value: "mallory", denials: 25 });
    expect(dash.top.principal).toEqual([{ value: "bob", denials: 30 }, { value: "mallory", denials: 25 }]);
    expect(dash.top.tool.length).toBeGreaterThan(0);
    expect(dash.versionRates.map((v) => v.sourceRef).sort()).toEqual(["authz=r1", "authz=r2"]);
  });

  it("ignores a flat or tiny baseline blip", () => {
    const flat = Array.from({ length: 30 }, (_, i) => ({ bucket: new Date(i * 3_600_000).toISOString(), deny: 3 }));
    expect(detectSpikes(flat)).toEqual([]);
    flat[20].deny = 4;
    expect(detectSpikes(flat)).toEqual([]);
  });
});

describe("policy source filter", () => {
  it("filters decisions by the policy commit their PDP reported, in the explorer's SQL and in trends", async () => {
    const pool = getPool();
    const pdp = uniquePdp("ref");
    const base = Date.parse("2026-07-01T00:00:00Z");
    const lines = Array.from({ length: 40 }, (_, i) => opaLine(pdp, i, new Date(base + i * 90_000), i % 5 !== 0, "bob", i < 25 ? "r1" : "r2"));
    await ingestBytes(pool, Buffer.from(lines.join("\n")), { channel: "cli" });
    const window = { from: new Date(base), to: new Date(base + 3_600_000 * 2) };
    const viaRollup = await countHops(pool, { pdp, ref: "authz=r2" }, window, []);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM hops WHERE pdp_instance = $1 AND policy_source_ref = 'authz=r2'`, [pdp]);
    expect(viaRollup[0].n).toBe(15);
    expect(rows[0].n).toBe(15);
  });
});
