// The suite's oracle checked against known damage: verifyIngestInvariants must pass on an intact
// database and name each kind of damage the fault tests look for (a lost record, a duplicate, a record
// without its hops, batch counters that lie, a rollup that drifted, a Merkle log with a foreign node).
// Without this, a checker that never fails would make every fault test pass.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBytes } from "../../lib/ingest/ingest.ts";
import { refreshTasks } from "../../lib/tasks/refresh.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database.ts";
import { CerbosCallSource, OpaEventSource, type SentRecord } from "./support/records.ts";
import type { IngestAnswer } from "./support/sender.ts";
import { verifyIngestInvariants } from "./support/verify.ts";

let db: ThrowawayDatabase;
const acked: SentRecord[] = [];
const answers: IngestAnswer[] = [];

beforeAll(async () => {
  db = await createThrowawayDatabase("verify");
  const opa = new OpaEventSource("verify-opa", 11).batch(40);
  const cerbos = new CerbosCallSource("verify-cerbos", 12).push(20);
  for (const [{ body, records }, engine, pdp] of [[opa, "opa", undefined], [cerbos, "cerbos", "verify-cerbos"]] as const) {
    const s = await ingestBytes(db.pool, body, { channel: "cli", engine, pdpInstance: pdp });
    acked.push(...records);
    answers.push({ batchId: s.batchId, accepted: s.accepted, duplicate: s.duplicate, conflict: s.conflict, rejected: s.rejected });
  }
});

afterAll(async () => {
  await db?.drop();
});

const problems = async (extra: Partial<Parameters<typeof verifyIngestInvariants>[1]> = {}) =>
  (await verifyIngestInvariants(db.pool, { acked, answers, ...extra })).problems.join("\n");

describe("verifyIngestInvariants", () => {
  it("passes on an intact database", async () => {
    expect(await problems()).toBe("");
  });

  it("reports hops the task derivation skipped below its watermark", async () => {
    await refreshTasks(db.pool, { wait: true });
    expect(await problems({ checkDerived: true })).toBe("");
    await db.pool.query(`DELETE FROM hop_delegation WHERE hop_id = (SELECT min(hop_id) FROM hop_delegation)`);
    expect(await problems({ checkDerived: true })).toMatch(/1 hops at or below the task-derivation watermark have no delegation facts/);
  });

  it("reports an acknowledged record that is not stored", async () => {
    const lost: SentRecord = { ...acked[0], key: "never-stored" };
    expect(await problems({ acked: [...acked, lost] })).toMatch(/1 acknowledged records are missing/);
  });

  it("reports records under the senders' PDPs that were never sent", async () => {
    expect(await problems({ acked: acked.slice(1) })).toMatch(/were never sent/);
  });

  it("reports a 2xx answer its batch row does not match", async () => {
    expect(await problems({ answers: [{ ...answers[0], accepted: answers[0].accepted + 1 }] })).toMatch(/answers disagree with their committed batch rows/);
  });

  it("reports an identity stored twice (a retry stored as a conflict)", async () => {
    const first = JSON.parse(new OpaEventSource("verify-opa", 11).batch(1).body.toString())[0];
    await ingestBytes(db.pool, Buffer.from(JSON.stringify([{ ...first, result: false }])), { channel: "cli", engine: "opa" });
    const p = await problems();
    expect(p).toMatch(/stored more than once/);
    expect(p).toMatch(/flagged as conflicts/);
  });

  it("reports a record missing hops, and the rollup that no longer matches", async () => {
    await db.pool.query(`DELETE FROM hops WHERE id = (SELECT max(id) FROM hops WHERE NOT is_conflict)`);
    const p = await problems();
    expect(p).toMatch(/do not have the hops their entries imply/);
    expect(p).toMatch(/hop_rollup disagrees with the hops/);
  });

  it("reports batch counters that do not match the stored records", async () => {
    await db.pool.query(`UPDATE ingest_batches SET accepted = accepted + 1 WHERE id = (SELECT min(id) FROM ingest_batches)`);
    expect(await problems()).toMatch(/ingest_batches rows disagree with their records/);
  });

  it("reports a Merkle node that does not belong to the log", async () => {
    await db.pool.query(`INSERT INTO merkle_nodes (level, idx, hash) SELECT 0, tree_size, '\\x00' FROM merkle_log_state`);
    expect(await problems()).toMatch(/merkle_nodes level 0: .* beyond the tree/);
  });
});
