// Integration: ingest into the real database (Postgres on CI, embedded PGlite otherwise).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { prepareRecord } from "../lib/ingest/prepare.ts";
import { writeRecords } from "../lib/ingest/write.ts";
import { rebuildRollup } from "../lib/ingest/rollup.ts";
import { isPGlite } from "../lib/db/pool.ts";
import { parseDecisionLog } from "../lib/formats/index.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

function cerbosDecision(callId: string, opts: { principal?: string; effect?: string; amount?: number } = {}) {
  return {
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId,
    timestamp: "2026-11-23T18:19:58.393174653Z",
    peer: { address: "127.0.0.1:36296", userAgent: "lab-curl/1.0" },
    checkResources: {
      inputs: [
        {
          requestId: "task-42-step-1",
          principal: { id: opts.principal ?? "alice", roles: ["user"], attr: { ip: "192.168.1.10" } },
          resource: { kind: "document", id: "doc-1", attr: { owner: "alice", amount: opts.amount ?? 5000 } },
          actions: ["view", "edit"],
          auxData: { jwt: { sub: "alice", act: { sub: "agent-a1" }, scope: "docs:read" } },
        },
      ],
      outputs: [
        {
          requestId: "task-42-step-1",
          resourceId: "doc-1",
          actions: {
            view: { effect: "EFFECT_ALLOW", policy: "resource.document.vdefault" },
            edit: { effect: opts.effect ?? "EFFECT_DENY", policy: "resource.document.vdefault" },
          },
          effectiveDerivedRoles: ["owner"],
        },
      ],
    },
    policySource: { git: { repositoryUrl: "file:///repo", branch: "main", hash: "edff54b2c67935c6585154575e791b6aba910d59" } },
    requestContext: { annotations: { task_id: "task-42" } },
  };
}

function cerbosAccess(callId: string) {
  return {
    "log.logger": "cerbos.audit",
    "log.kind": "access",
    callId,
    timestamp: "2026-11-23T18:19:58.392338248Z",
    peer: { address: "127.0.0.1:36296" },
    method: "/cerbos.svc.v1.CerbosService/CheckResources",
  };
}

function ndjson(items: object[]): Buffer {
  return Buffer.from(items.map((i) => JSON.stringify(i)).join("\n") + "\n");
}

function ulid(): string {
  const chars = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return Array.from({ length: 26 }, () => chars[Math.floor(Math.random() * 32)]).join("");
}

describe("ingest", () => {
  it("stores decisions with exact raw bytes, hashes and one hop per action; access entries are not decisions", async () => {
    const pool = getPool();
    const pdp = uniquePdp();
    const callId = ulid();
    const body = ndjson([cerbosAccess(callId), cerbosDecision(callId)]);
    const summary = await ingestBytes(pool, body, { channel: "cli", pdpInstance: pdp });
    expect(summary).toMatchObject({ accepted: 2, duplicate: 0, conflict: 0, rejected: [] });

    const { rows: records } = await pool.query(
      `SELECT kind, raw_bytes, raw_sha256, parsed FROM records WHERE pdp_instance = $1 ORDER BY kind`,
      [pdp],
    );
    expect(records.map((r) => r.kind)).toEqual(["access", "decision"]);
    const decisionLine = body.toString("utf8").split("\n")[1];
    expect((records[1].raw_bytes as Buffer).toString("utf8")).toBe(decisionLine);
    expect(records[1].raw_sha256).toBe(createHash("sha256").update(decisionLine).digest("hex"));
    expect(records[1].parsed["log.kind"]).toBeUndefined();
    expect(records[1].parsed.callId).toBe(callId);
    const { rows: times } = await pool.query(
      `SELECT to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS t FROM records WHERE pdp_instance = $1 ORDER BY kind`,
      [pdp],
    );
    // Microseconds survive (the nanoseconds stay in the raw record).
    expect(times.map((r) => r.t)).toEqual(["2026-11-23T18:19:58.392338", "2026-11-23T18:19:58.393174"]);

    const { rows: hops } = await pool.query(
      `SELECT action, effect, principal_id, acting_agent, resource_kind, resource_id, policy, policy_source_ref, derived_roles, roles
         FROM hops WHERE pdp_instance = $1 ORDER BY action`,
      [pdp],
    );
    expect(hops).toEqual([
      {
        action: "edit",
        effect: "deny",
        principal_id: "alice",
        acting_agent: "agent-a1",
        resource_kind: "document",
        resource_id: "doc-1",
        policy: "resource.document.vdefault",
        policy_source_ref: "edff54b2c67935c6585154575e791b6aba910d59",
        derived_roles: ["owner"],
        roles: ["user"],
      },
      expect.objectContaining({ action: "view", effect: "allow" }),
    ]);
  });

  it("counts the same record again as a duplicate, even re-serialized with another key order", async () => {
    const pool = getPool();
    const pdp = uniquePdp();
    const entry = cerbosDecision(ulid());
    await ingestBytes(pool, ndjson([entry]), { channel: "cli", pdpInstance: pdp });
    const again = await ingestBytes(pool, ndjson([entry]), { channel: "cli", pdpInstance: pdp });
    expect(again).toMatchObject({ accepted: 0, duplicate: 1, conflict: 0 });
    const reordered = Object.fromEntries(Object.entries(entry).reverse());
    const third = await ingestBytes(pool, ndjson([reordered]), { channel: "cli", pdpInstance: pdp });
    expect(third).toMatchObject({ accepted: 0, duplicate: 1, conflict: 0 });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM records WHERE pdp_instance = $1`, [pdp]);
    expect(rows[0].n).toBe(1);
  });

  it("keeps and flags a record whose id repeats with different content (possible tampering)", async () => {
    const pool = getPool();
    const pdp = uniquePdp();
    const callId = ulid();
    await ingestBytes(pool, ndjson([cerbosDecision(callId, { effect: "EFFECT_DENY" })]), { channel: "cli", pdpInstance: pdp });
    const tampered = await ingestBytes(pool, ndjson([cerbosDecision(callId, { effect: "EFFECT_ALLOW" })]), { channel: "cli", pdpInstance: pdp });
    expect(tampered).toMatchObject({ accepted: 0, duplicate: 0, conflict: 1 });
    const { rows } = await pool.query(
      `SELECT is_conflict FROM records WHERE pdp_instance = $1 AND record_key = $2 ORDER BY id`,
      [pdp, callId],
    );
    expect(rows.map((r) => r.is_conflict)).toEqual([false, true]);
    const { rows: hops } = await pool.query(`SELECT DISTINCT is_conflict FROM hops WHERE pdp_instance = $1 AND record_key = $2 ORDER BY 1`, [
      pdp,
      callId,
    ]);
    expect(hops.map((h) => h.is_conflict)).toEqual([false, true]);
  });

  it("the same id from two PDP instances is two records, not a conflict", async () => {
    const pool = getPool();
    const callId = ulid();
    const a = await ingestBytes(pool, ndjson([cerbosDecision(callId)]), { channel: "cli", pdpInstance: uniquePdp() });
    const b = await ingestBytes(pool, ndjson([cerbosDecision(callId, { amount: 1 })]), { channel: "cli", pdpInstance: uniquePdp() });
    expect([a.accepted, b.accepted, b.conflict]).toEqual([1, 1, 0]);
  });

  it("accepts the valid items of a file and names what is wrong with the others", async () => {
    const pool = getPool();
    const pdp = uniquePdp();
    const body = Buffer.from(
      [JSON.stringify(cerbosDecision(ulid())), "{not json", JSON.stringify({ hello: "world" }), JSON.stringify(cerbosDecision(ulid()))].join("\n"),
    );
    const summary = await ingestBytes(pool, body, { channel: "cli", pdpInstance: pdp, origin: "mixed.ndjson" });
    expect(summary.accepted).toBe(2);
    expect(summary.rejected.map((r) => [r.file, r.line])).toEqual([
      ["mixed.ndjson", 2],
      ["mixed.ndjson", 3],
    ]);
    for (const r of summary.rejected) expect(r.reason.length).toBeGreaterThan(10);
    const { rows } = await pool.query(`SELECT accepted, rejected, jsonb_array_length(rejections) AS n FROM ingest_batches WHERE id = $1`, [
      summary.batchId,
    ]);
    expect(rows[0]).toEqual({ accepted: 2, rejected: 2, n: 2 });
  });

  it("refuses UPDATE, DELETE and TRUNCATE on records", async () => {
    const pool = getPool();
    const pdp = uniquePdp();
    await ingestBytes(pool, ndjson([cerbosDecision(ulid())]), { channel: "cli", pdpInstance: pdp });
    await expect(pool.query(`UPDATE records SET kind = 'x' WHERE pdp_instance = $1`, [pdp])).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM records WHERE pdp_instance = $1`, [pdp])).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE records CASCADE`)).rejects.toThrow(/append-only/);
  });

  it("COPY and the INSERT fallback write identical rows", async () => {
    const pool = getPool();
    if (await isPGlite(pool)) {
      // PGlite cannot take COPY FROM STDIN over its socket; only the fallback applies there.
      return;
    }
    const results: unknown[] = [];
    for (const strategy of ["copy", "insert"] as const) {
      const pdp = uniquePdp(strategy);
      const parsed = parseDecisionLog(ndjson([cerbosDecision("SAMEID", { principal: "we\"ird,\nname\\" })]));
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query(`INSERT INTO ingest_batches (channel) VALUES ('cli') RETURNING id::text`);
        const csv = strategy === "copy" ? { batchId: rows[0].id, isDemo: false } : undefined;
        const prepared = parsed.records.map((r) => prepareRecord(r, { fallbackPdp: pdp, csv }));
        await writeRecords(client, rows[0].id, prepared, { strategy, isDemo: false });
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      } finally {
        client.release();
      }
      const { rows: recs } = await pool.query(
        `SELECT r.raw_bytes, r.raw_sha256, r.content_sha256, r.parsed, r.decided_at,
                h.principal_id, h.roles, h.derived_roles, h.search_text, h.effect, h.action
           FROM records r JOIN hops h ON h.record_id = r.id WHERE r.pdp_instance = $1 ORDER BY h.action`,
        [pdp],
      );
      results.push(recs.map((r) => ({ ...r, search_text: r.search_text.replace(pdp, "PDP") })));
    }
    expect(results[0]).toEqual(results[1]);
    expect((results[0] as { principal_id: string }[])[0].principal_id).toBe('we"ird,\nname\\');
  });
});

describe("hourly rollup", () => {
  it("matches a GROUP BY over hops after ingests with duplicates and conflicts", async () => {
    const pool = getPool();
    const pdp = uniquePdp("rollup");
    const a = ulid();
    await ingestBytes(pool, ndjson([cerbosDecision(a), cerbosDecision(ulid(), { effect: "EFFECT_ALLOW" })]), { channel: "cli", pdpInstance: pdp });
    await ingestBytes(pool, ndjson([cerbosDecision(a), cerbosDecision(a, { amount: 7 })]), { channel: "cli", pdpInstance: pdp });
    const { rows: rollup } = await pool.query(
      `SELECT bucket, effect, sum(hops)::int AS n FROM hop_rollup WHERE dim = 'pdp' AND value = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [pdp],
    );
    const { rows: raw } = await pool.query(
      `SELECT date_trunc('hour', decided_at, 'UTC') AS bucket, effect, count(*)::int AS n
         FROM hops WHERE pdp_instance = $1 AND NOT is_conflict GROUP BY 1, 2 ORDER BY 1, 2`,
      [pdp],
    );
    expect(rollup).toEqual(raw);
    // The duplicate adds nothing and the conflicting copy is not counted: 2 records × 2 actions.
    expect(rollup.map((r) => [r.effect, r.n])).toEqual([
      ["allow", 3],
      ["deny", 1],
    ]);
  });

  it("equals a rebuild from hops for every dimension", async () => {
    const pool = getPool();
    const client = await pool.connect();
    try {
      const { rows: incremental } = await client.query(`SELECT dim, value, bucket, effect, hops FROM hop_rollup ORDER BY 1, 2, 3, 4`);
      await client.query("BEGIN");
      await rebuildRollup(client);
      const { rows: rebuilt } = await client.query(`SELECT dim, value, bucket, effect, hops FROM hop_rollup ORDER BY 1, 2, 3, 4`);
      await client.query("ROLLBACK");
      expect(incremental.length).toBeGreaterThan(0);
      expect(incremental).toEqual(rebuilt);
    } finally {
      client.release();
    }
  });
});
