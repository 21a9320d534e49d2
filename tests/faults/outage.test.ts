// Database outage: the database disappears while PDPs upload, and comes back.
//
// The machine's Postgres service is shared with other work, so it is never stopped. Instead the app
// reaches Postgres through a small TCP proxy in this process (support/pg-proxy.ts) that the test cuts
// and restores: "cut" resets every open connection and refuses new ones (what a Postgres crash or
// restart looks like to the app); "black hole" resets open connections and accepts new ones without
// ever answering (what a network partition looks like).
//
// While it is down, every ingest request (OPA, OPA with partition, Cerbos, browser upload) must get a
// bounded, clear answer: 503 with Retry-After and a JSON error naming the database, never a 500, a
// stack trace or a hang. Once it is back, the senders' retries must succeed with nothing lost or
// duplicated, and the server process must not have restarted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { createToken } from "../../lib/ingest/tokens.ts";
import { Rng } from "../../lib/demo/prng.ts";
import { AppServer } from "./support/app-server.ts";
import { suiteSeed } from "./support/config.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database.ts";
import { endpointNamed, ingestRequest, signIn, type Credentials, type IngestEndpoint } from "./support/endpoints.ts";
import { explorerFetch } from "./support/explorer.ts";
import { attemptLabel, createFleet, fleetOutcome, runFleet } from "./support/fleet.ts";
import { jsonError, keepAliveAgent, leaksInternals, request, type Outcome } from "./support/http.ts";
import { PgProxy } from "./support/pg-proxy.ts";
import { OpaEventSource, CerbosCallSource, type SentRecord } from "./support/records.ts";
import type { IngestAnswer } from "./support/sender.ts";
import { percentile, round, table, writeResults } from "./support/stats.ts";
import { describeProblems, verifyIngestInvariants } from "./support/verify.ts";

const SEED = suiteSeed();
// Long enough for two rounds of probes to time out connecting (5 s each) while black-holed.
const OUTAGE_MS = Number(process.env.HINDSIGHT_OUTAGE_SECONDS ?? 15) * 1000;
/** Longest acceptable wait for any answer while the database is down. */
const ANSWER_BOUND_MS = 15_000;

let db: ThrowawayDatabase;
let proxy: PgProxy;
let app: AppServer;
let session: Credentials["session"] = null;
const results: Record<string, unknown> = { seed: SEED };

beforeAll(async () => {
  console.log(`outage test seed: ${SEED} (HINDSIGHT_FAULTS_SEED=${SEED} reproduces it)`);
  db = await createThrowawayDatabase("outage");
  proxy = PgProxy.forUrl(db.url);
  await proxy.start();
  app = await AppServer.start({ name: "outage", databaseUrl: proxy.urlThrough(db.url) });
  session = await signIn(app.baseUrl, db.url);
});

afterAll(async () => {
  writeResults("outage", results);
  await app?.stop();
  await proxy?.stop();
  await db?.drop();
});

interface Probe {
  endpoint: string;
  startedAt: number;
  outcome: Outcome;
  records: SentRecord[];
}

/** Small single-shot ingest requests to every endpoint, recorded with their timing (no retries). */
class Prober {
  readonly probes: Probe[] = [];
  private readonly opa: OpaEventSource;
  private readonly upload: OpaEventSource;
  private readonly cerbos: CerbosCallSource;
  private stopped = false;
  constructor(
    label: string,
    private readonly creds: { opa: Credentials; cerbos: Credentials; upload: Credentials },
  ) {
    this.opa = new OpaEventSource(`${label}-probe-opa`, SEED + 7);
    this.upload = new OpaEventSource(`${label}-probe-upload`, SEED + 8);
    this.cerbos = new CerbosCallSource(`${label}-probe-cerbos`, SEED + 9);
  }

  private body(endpoint: IngestEndpoint): { body: Buffer; headers: Record<string, string>; records: SentRecord[] } {
    if (endpoint.format === "cerbos-ndjson") {
      const { body, records } = this.cerbos.push(3);
      return { body, headers: { "content-type": "application/x-ndjson" }, records };
    }
    const src = endpoint.format === "opa-batch" ? this.opa : this.upload;
    const { body, records } = src.batch(5);
    return { body: gzipSync(body), headers: { "content-type": "application/json", "content-encoding": "gzip" }, records };
  }

  async probeOnce(): Promise<void> {
    await Promise.all(
      ["opa", "opa-partition", "cerbos", "upload"].map(async (name) => {
        const endpoint = endpointNamed(name);
        const { body, headers, records } = this.body(endpoint);
        const creds = name === "cerbos" ? this.creds.cerbos : name === "upload" ? this.creds.upload : this.creds.opa;
        const startedAt = Date.now();
        const outcome = await request({ ...ingestRequest(app.baseUrl, endpoint, creds, body, headers), timeoutMs: 30_000 });
        this.probes.push({ endpoint: name, startedAt, outcome, records });
      }),
    );
  }

  async run(intervalMs: number): Promise<void> {
    while (!this.stopped) {
      await this.probeOnce();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  stop(): void {
    this.stopped = true;
  }

  acked(): { records: SentRecord[]; answers: IngestAnswer[] } {
    const ok = this.probes.filter((p) => p.outcome.status === 200);
    return { records: ok.flatMap((p) => p.records), answers: ok.map((p) => JSON.parse(p.outcome.body) as IngestAnswer) };
  }

  unacked(): SentRecord[] {
    return this.probes.filter((p) => p.outcome.status !== 200).flatMap((p) => p.records);
  }
}

function describeOutcome(o: Outcome): string {
  return `${o.status ?? (o.timedOut ? "timeout" : o.error)} after ${Math.round(o.ms)} ms: ${o.body.slice(0, 200)}`;
}

async function outageScenario(kind: "cut" | "blackhole"): Promise<void> {
  const label = `outage-${kind}`;
  const rng = new Rng(SEED + (kind === "cut" ? 1 : 2));
  const pidBefore = app.pid;
  const fleet = await createFleet(db.pool, {
    seed: SEED + (kind === "cut" ? 1000 : 2000),
    label,
    opa: 2,
    cerbos: 2,
    opaBatch: (r) => r.between(200, 1_500),
    cerbosCalls: (r) => r.between(100, 800),
  });
  const probeCreds = {
    opa: { bearer: (await createToken(db.pool, `${label}-probe-opa-token`)).token, session },
    cerbos: { bearer: (await createToken(db.pool, `${label}-probe-cerbos`)).token, session },
    upload: { bearer: "", session },
  };
  const prober = new Prober(label, probeCreds);
  const explorer: Probe[] = [];
  const agent = keepAliveAgent(16);
  const failures = new Map<string, number>();
  const attempts: { startedAt: number; outcome: Outcome }[] = [];
  let sending = true;

  const senders = runFleet(fleet, {
    baseUrl: () => app.baseUrl,
    more: () => sending,
    retry: { minBackoffMs: 200, maxBackoffMs: 3_000, timeoutMs: 30_000, deadline: () => Date.now() + 5 * 60_000 },
    agent,
    onAttempt: (_pdp, o) => {
      attempts.push({ startedAt: Date.now() - o.ms, outcome: o });
      if (o.status !== 200) failures.set(attemptLabel(o), (failures.get(attemptLabel(o)) ?? 0) + 1);
    },
  });
  const probing = prober.run(250);
  let explorerOn = true;
  const explorerLoop = (async () => {
    while (explorerOn) {
      const startedAt = Date.now();
      const outcome = await explorerFetch({ baseUrl: app.baseUrl, session }, "/decisions?effect=deny", 30_000);
      explorer.push({ endpoint: "explorer", startedAt, outcome, records: [] });
      await new Promise((r) => setTimeout(r, 500));
    }
  })();

  await new Promise((r) => setTimeout(r, 3_000));
  // Aim: take the database away while an ingest COPY is running (up to 10 s of waiting).
  const aimUntil = Date.now() + 10_000;
  let midCopy = false;
  while (Date.now() < aimUntil) {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query ILIKE 'COPY%'`,
      [db.name],
    );
    if (rows[0].n > 0) {
      midCopy = true;
      break;
    }
    await new Promise((r) => setTimeout(r, rng.between(2, 10)));
  }
  const downAt = Date.now();
  if (kind === "cut") await proxy.cut();
  else await proxy.blackhole();
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  const upAt = Date.now();
  await proxy.restore();

  // Recovery: the first ingest answered 200 after the restore.
  const recoverBy = Date.now() + 60_000;
  let recoveredAt: number | null = null;
  while (Date.now() < recoverBy && recoveredAt === null) {
    await new Promise((r) => setTimeout(r, 200));
    const ok = prober.probes.find((p) => p.startedAt >= upAt && p.outcome.status === 200);
    if (ok) recoveredAt = ok.startedAt + ok.outcome.ms;
  }
  await new Promise((r) => setTimeout(r, 3_000));
  sending = false;
  prober.stop();
  explorerOn = false;
  await Promise.all([senders, probing, explorerLoop]);
  agent.destroy();

  // Requests that began after the database went away and before it came back. Those answered before
  // it came back must be clear 503s; one still waiting for a connection when it returns may succeed.
  const whileDown = <T extends { startedAt: number; outcome: Outcome }>(xs: T[]) => xs.filter((x) => x.startedAt >= downAt + 50 && x.startedAt < upAt);
  const endedWhileDown = (x: { startedAt: number; outcome: Outcome }) => x.startedAt + x.outcome.ms < upAt;
  const downProbes = whileDown(prober.probes);
  const downAttempts = whileDown(attempts);
  const all = [...prober.probes.map((p) => p.outcome), ...attempts.map((a) => a.outcome)];
  const unclear = downProbes.filter(
    (p) =>
      (endedWhileDown(p) || p.outcome.status !== 200) &&
      (p.outcome.status !== 503 || !p.outcome.headers["retry-after"] || !/database/i.test(jsonError(p.outcome) ?? "")),
  );
  // A reset on a reused keep-alive connection is the client/server idle-close race, not a server that
  // failed to answer; it is counted and retried like any connection error.
  const slow = all.filter((o) => (o.status === null && !o.staleKeepAlive) || o.ms > ANSWER_BOUND_MS);
  const fiveHundreds = all.filter((o) => o.status !== null && o.status >= 500 && o.status !== 503);
  const leaks = all.map((o) => leaksInternals(o.body)).filter((x): x is string => x !== null);
  const byEndpoint = (name: string) => downProbes.filter((p) => p.endpoint === name);
  const downExplorer = whileDown(explorer);

  const outcome = fleetOutcome(fleet);
  const probeAcks = prober.acked();
  const report = await verifyIngestInvariants(db.pool, {
    acked: [...outcome.acked, ...probeAcks.records],
    unacked: [...outcome.unacked, ...prober.unacked()],
    answers: [...outcome.answers, ...probeAcks.answers],
    checkDerived: true,
  });

  const summary = {
    kind,
    outageSeconds: OUTAGE_MS / 1000,
    cutMidCopy: midCopy,
    probesWhileDown: downProbes.length,
    probesAnsweredWhileDown: downProbes.filter(endedWhileDown).length,
    probeStatusesWhileDown: countBy(downProbes.map((p) => attemptLabel(p.outcome))),
    probeLatencyWhileDownMs: { p50: round(percentile(downProbes.map((p) => p.outcome.ms), 50)), max: round(Math.max(0, ...downProbes.map((p) => p.outcome.ms))) },
    senderAttemptsWhileDown: downAttempts.length,
    senderStatuses: Object.fromEntries(failures),
    explorerWhileDown: countBy(downExplorer.map((p) => attemptLabel(p.outcome))),
    recoverySeconds: recoveredAt === null ? null : round((recoveredAt - upAt) / 1000),
    batchesAcknowledged: outcome.deliveries.filter((d) => d.ack).length,
    recordsAcknowledged: outcome.acked.length + probeAcks.records.length,
    sampleAnswerWhileDown: downProbes[0] ? { status: downProbes[0].outcome.status, retryAfter: downProbes[0].outcome.headers["retry-after"], body: downProbes[0].outcome.body } : null,
    problems: report.problems,
  };
  results[kind] = summary;
  console.log(
    "\n" +
      table(
        [`database ${kind === "cut" ? "cut (reset + refused)" : "black hole (accepted, never answered)"}`, "value"],
        [
          ["outage", `${OUTAGE_MS / 1000} s, taken away ${midCopy ? "during" : "outside"} an ingest COPY`],
          ["probes sent while down (by status)", `${downProbes.length} (${fmtCounts(summary.probeStatusesWhileDown)})`],
          ["... answered before it was back", summary.probesAnsweredWhileDown],
          ["probe latency while down p50 / max", `${summary.probeLatencyWhileDownMs.p50} / ${summary.probeLatencyWhileDownMs.max} ms`],
          ["sender attempts while down", downAttempts.length],
          ["sender non-200 attempts (whole run)", fmtCounts(summary.senderStatuses) || "none"],
          ["explorer while down", fmtCounts(summary.explorerWhileDown) || "-"],
          ["first 200 after restore", summary.recoverySeconds === null ? "never" : `${summary.recoverySeconds} s`],
          ["batches / records acknowledged", `${summary.batchesAcknowledged} / ${summary.recordsAcknowledged}`],
          ["sample answer while down", summary.sampleAnswerWhileDown ? `${summary.sampleAnswerWhileDown.status} Retry-After: ${summary.sampleAnswerWhileDown.retryAfter} ${summary.sampleAnswerWhileDown.body}` : "-"],
        ],
      ),
  );

  for (const name of ["opa", "opa-partition", "cerbos", "upload"]) {
    expect(byEndpoint(name).filter(endedWhileDown).length, `${name} answered while the database was down`).toBeGreaterThan(0);
  }
  expect(slow.map(describeOutcome), `every request is answered within ${ANSWER_BOUND_MS} ms`).toEqual([]);
  expect(unclear.map((p) => `${p.endpoint}: ${describeOutcome(p.outcome)}`), "while down: 503 + Retry-After + JSON error naming the database").toEqual([]);
  expect(fiveHundreds.map(describeOutcome), "no 5xx other than 503").toEqual([]);
  expect(leaks, "no stack traces or internals in any answer").toEqual([]);
  expect(recoveredAt, "ingest recovers after the database is back").not.toBeNull();
  expect(outcome.unacked, "every sender batch is acknowledged after the outage").toHaveLength(0);
  expect(report.problems, describeProblems(report)).toEqual([]);
  expect(app.pid, "the server process did not restart").toBe(pidBefore);
  expect(app.unexpectedExits(), app.tail()).toEqual([]);
  expect(app.processErrors, "no uncaught exceptions or unhandled rejections in the server").toEqual([]);
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

const fmtCounts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");

describe("database outage", () => {
  it("database cut during ingest: clear 503s while down, retries succeed afterwards, nothing lost or duplicated", async () => {
    await outageScenario("cut");
  });

  it("database black-holed during ingest (network partition): answers stay bounded, then everything recovers", async () => {
    await outageScenario("blackhole");
  });
});
