// Crash safety: the app is killed with SIGKILL while OPA instances upload large gzip batches and Cerbos
// shippers push NDJSON, and started again; the senders retry every unacknowledged batch as OPA does.
// Afterwards every acknowledged record must be stored exactly once with all its hops, every batch row
// must match its records, every 2xx answer must match a committed batch, and the Merkle log, the rollup
// and the task derivation must be consistent. Kills are aimed: the killer waits until Postgres shows an
// ingest COPY in progress for this database, so they land mid-write (how many did is reported).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../lib/demo/prng.ts";
import { AppServer } from "./support/app-server.ts";
import { suiteSeed } from "./support/config.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database.ts";
import { attemptLabel, createFleet, fleetOutcome, runFleet } from "./support/fleet.ts";
import { keepAliveAgent } from "./support/http.ts";
import { table, writeResults } from "./support/stats.ts";
import { describeProblems, verifyIngestInvariants } from "./support/verify.ts";

const SEED = suiteSeed();
const BATCHES_PER_SENDER = Number(process.env.HINDSIGHT_CRASH_BATCHES ?? 5);
const KILLS = Number(process.env.HINDSIGHT_CRASH_KILLS ?? 6);

let db: ThrowawayDatabase;
let app: AppServer;

beforeAll(async () => {
  console.log(`crash test seed: ${SEED} (HINDSIGHT_FAULTS_SEED=${SEED} reproduces the batch sizes and timings)`);
  db = await createThrowawayDatabase("crash");
  app = await AppServer.start({ name: "crash", databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

interface Kill {
  atMs: number;
  /** An ingest COPY of this database was running when the signal was sent. */
  midCopy: boolean;
  /** Ingest transactions open at the kill (COPY or between statements). */
  openTransactions: number;
  downMs: number;
}

async function ingestActivity(db: ThrowawayDatabase): Promise<{ copying: number; inTransaction: number }> {
  const { rows } = await db.pool.query<{ copying: number; in_tx: number }>(
    `SELECT count(*) FILTER (WHERE state = 'active' AND query ILIKE 'COPY%')::int AS copying,
            count(*) FILTER (WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND application_name = '')::int AS in_tx
       FROM pg_stat_activity WHERE datname = $1`,
    [db.name],
  );
  return { copying: rows[0].copying, inTransaction: rows[0].in_tx };
}

describe("crash safety", () => {
  it(`kill -9 during concurrent OPA batch uploads and Cerbos pushes loses and duplicates nothing (${KILLS} kills)`, async () => {
    const rng = new Rng(SEED);
    const fleet = await createFleet(db.pool, {
      seed: SEED,
      label: "crash",
      opa: 3,
      cerbos: 3,
      // Large batches, some above the 5,000 records one ingest transaction takes, so kills also land
      // between the transactions of one batch.
      opaBatch: (r) => r.between(1_500, 7_000),
      cerbosCalls: (r) => r.between(800, 3_500),
      cerbosGzipShare: 0.5,
    });
    const agent = keepAliveAgent(16);
    const failures = new Map<string, number>();
    let attempts = 0;
    let sendersDone = false;
    const started = Date.now();

    const senders = runFleet(fleet, {
      baseUrl: () => app.baseUrl,
      more: (_pdp, sent) => sent < BATCHES_PER_SENDER,
      retry: { minBackoffMs: 100, maxBackoffMs: 2_000, timeoutMs: 120_000, deadline: () => Date.now() + 10 * 60_000 },
      agent,
      onAttempt: (_pdp, o) => {
        attempts++;
        if (o.status === null || o.status >= 300) failures.set(attemptLabel(o), (failures.get(attemptLabel(o)) ?? 0) + 1);
      },
    }).finally(() => {
      sendersDone = true;
    });

    const kills: Kill[] = [];
    const killer = (async () => {
      while (kills.length < KILLS && !sendersDone) {
        await new Promise((r) => setTimeout(r, rng.between(300, 2_500)));
        // Aim: wait (up to 20 s) for an ingest COPY to be running, then kill at once.
        const aimUntil = Date.now() + 20_000;
        let activity = await ingestActivity(db);
        while (activity.copying === 0 && Date.now() < aimUntil && !sendersDone) {
          await new Promise((r) => setTimeout(r, rng.between(2, 15)));
          activity = await ingestActivity(db);
        }
        if (sendersDone) break;
        await app.kill9();
        const downMs = rng.between(200, 2_000);
        kills.push({ atMs: Date.now() - started, midCopy: activity.copying > 0, openTransactions: activity.inTransaction, downMs });
        await new Promise((r) => setTimeout(r, downMs));
        await app.restart();
      }
    })();

    await Promise.all([senders, killer]);
    agent.destroy();
    const elapsedS = (Date.now() - started) / 1000;

    const outcome = fleetOutcome(fleet);
    const report = await verifyIngestInvariants(db.pool, { ...outcome, checkDerived: true });
    const retriedPartial = outcome.deliveries.filter((d) => d.ack && d.ack.answer.duplicate > 0).length;
    // Batch rows of requests killed before their first commit: created, never filled (nothing else refers to them).
    const { rows: emptyRows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ingest_batches WHERE accepted + duplicate + conflict + rejected = 0`,
    );
    const summary = {
      seed: SEED,
      elapsedSeconds: elapsedS,
      senders: fleet.length,
      batches: outcome.deliveries.length,
      acknowledged: outcome.deliveries.filter((d) => d.ack).length,
      records: outcome.acked.length,
      attempts,
      failedAttempts: Object.fromEntries(failures),
      kills,
      killsMidCopy: kills.filter((k) => k.midCopy).length,
      batchesWhoseRetryFoundRecordsAlreadyCommitted: retriedPartial,
      emptyBatchRowsOfKilledRequests: emptyRows[0].n,
      unexpectedServerExits: app.unexpectedExits(),
      database: report.stats,
      problems: report.problems,
    };
    writeResults("crash", summary);
    console.log(
      "\n" +
        table(
          ["crash safety", "value"],
          [
            ["seed", SEED],
            ["senders (OPA + Cerbos)", `${fleet.filter((p) => p.kind === "opa").length} + ${fleet.filter((p) => p.kind === "cerbos").length}`],
            ["batches acknowledged", `${summary.acknowledged} / ${summary.batches}`],
            ["records acknowledged", summary.records],
            ["HTTP attempts (failed)", `${attempts} (${[...failures].map(([k, v]) => `${k}: ${v}`).join(", ") || "none"})`],
            ["kill -9 (mid-COPY)", `${kills.length} (${summary.killsMidCopy})`],
            ["acks that were retries of a partly committed batch", retriedPartial],
            ["empty batch rows left by killed requests", emptyRows[0].n],
            ["records / hops / tree size in the database", `${report.stats.records} / ${report.stats.hops} / ${report.stats.treeSize}`],
            ["hops awaiting task derivation after the run", report.stats.derivationLag ?? "-"],
            ["elapsed", `${elapsedS.toFixed(1)} s`],
          ],
        ),
    );

    expect(outcome.unacked, "every batch is acknowledged in the end").toHaveLength(0);
    expect(kills.length, "the server was killed as often as planned").toBe(KILLS);
    expect(summary.killsMidCopy, "most kills landed while an ingest COPY was running").toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
    expect(app.unexpectedExits(), `the server only died when killed:\n${app.tail()}`).toEqual([]);
    expect(app.processErrors, "no uncaught exceptions or unhandled rejections in the server").toEqual([]);
    const serverErrors = [...failures].filter(([k]) => /^5\d\d$/.test(k));
    expect(serverErrors, "no 5xx answers (connection errors are expected while killed)").toEqual([]);
    expect(report.problems, describeProblems(report)).toEqual([]);
    expect(report.stats.storedOfSenders).toBe(outcome.acked.length);
  });
});
