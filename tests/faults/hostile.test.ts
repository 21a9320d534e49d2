// Hostile input: at least 10,000 generated malformed bodies (truncated and corrupt gzip, gzip bombs,
// deep nesting, huge strings, duplicate keys, invalid UTF-8, prototype-pollution keys, wrong types and
// shapes, odd content types and encodings, empty bodies, NUL bytes, lone surrogates, absurd numbers,
// broken credentials, oversize bodies, millions of tiny items…) against every ingest endpoint, from a
// seeded PRNG (the seed is printed; HINDSIGHT_FAULTS_SEED reproduces a run).
// Every answer must be < 500, JSON, and name its reason (an `error`, or a reason per rejected item);
// no answer may leak internals; afterwards the same server process still answers, logged no uncaught
// errors, and the database invariants hold.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../lib/ingest/tokens.ts";
import { ingestBytes } from "../../lib/ingest/ingest.ts";
import { refreshTasks } from "../../lib/tasks/refresh.ts";
import { AppServer } from "./support/app-server.ts";
import { hostileCount, suiteSeed } from "./support/config.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./support/database.ts";
import { authHeaders, INGEST_ENDPOINTS, signIn, type Credentials } from "./support/endpoints.ts";
import { hostileCases, prepareHostileAssets, type HostileCase } from "./support/hostile-bodies.ts";
import { keepAliveAgent, leaksInternals, parseJson, request, type Outcome } from "./support/http.ts";
import { forEachConcurrent, percentile, round, table, writeResults } from "./support/stats.ts";
import { describeProblems, verifyIngestInvariants } from "./support/verify.ts";

const SEED = suiteSeed();
const COUNT = hostileCount();
const CONCURRENCY = Number(process.env.HINDSIGHT_HOSTILE_CONCURRENCY ?? 12);
/**
 * Endpoints in the order cases cycle through them. The browser upload gets one body in nine: each stored
 * upload waits for a task refresh before it answers, which serializes uploads (and, once the corpus has
 * stored a record that trips the known derivation bug below, every refresh re-runs a failing pass).
 */
const ENDPOINT_MIX = ["opa", "cerbos", "opa-partition", "opa", "cerbos", "opa-partition", "opa", "cerbos", "upload"].map(
  (name) => INGEST_ENDPOINTS.find((e) => e.name === name)!,
);

let db: ThrowawayDatabase;
let app: AppServer;
let creds: Credentials;

beforeAll(async () => {
  console.log(`hostile input seed: ${SEED} (HINDSIGHT_FAULTS_SEED=${SEED} reproduces the same ${COUNT} bodies)`);
  db = await createThrowawayDatabase("hostile");
  // One token sends all 10,000 bodies: lift its per-token rate limit (429s are not what this test is
  // about; the limiter is tested on its own), so every body reaches the parser.
  app = await AppServer.start({ name: "hostile", databaseUrl: db.url, env: { HINDSIGHT_INGEST_RATE: "1000000", HINDSIGHT_INGEST_BURST: "1000000" } });
  creds = { bearer: (await createToken(db.pool, "hostile-pdp")).token, session: await signIn(app.baseUrl, db.url) };
  prepareHostileAssets();
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

interface Answer {
  error?: unknown;
  batchId?: unknown;
  accepted?: unknown;
  rejectedCount?: unknown;
  rejected?: { line?: unknown; reason?: unknown }[];
}

/** What is wrong with the answer to `c`, or null. */
function judge(c: HostileCase, o: Outcome): string | null {
  if (o.status === null) return `no answer (${o.timedOut ? "timed out" : o.error})`;
  if (o.status >= 500) return `server error ${o.status}`;
  const leak = leaksInternals(o.body);
  if (leak) return `answer leaks internals (${JSON.stringify(leak)})`;
  const a = parseJson<Answer>(o);
  if (!a || typeof a !== "object" || Array.isArray(a)) return `answer is not a JSON object: ${JSON.stringify(o.body.slice(0, 80))}`;
  const reasons = Array.isArray(a.rejected) ? a.rejected : [];
  if (reasons.some((r) => typeof r?.reason !== "string" || r.reason.trim() === "")) return "a rejected item has no reason";
  if (o.status >= 300) {
    const named = (typeof a.error === "string" && a.error.trim() !== "") || reasons.length > 0;
    if (!named) return `rejection ${o.status} names no reason`;
  } else {
    if (typeof a.batchId !== "string" || typeof a.accepted !== "number") return "2xx answer without batchId/accepted";
    if (typeof a.rejectedCount === "number" && a.rejectedCount < reasons.length) return "rejectedCount below the listed rejections";
  }
  if (c.category === "bad-auth" && o.status !== 401) return `broken credentials answered ${o.status}, not 401`;
  if (c.category === "valid" && (o.status !== 200 || (a.accepted as number) < 1)) return `valid body answered ${o.status} with ${String(a.accepted)} accepted`;
  return null;
}

function send(c: HostileCase, agent: ReturnType<typeof keepAliveAgent>): Promise<Outcome> {
  const path = c.query === undefined ? c.endpoint.path : `${c.endpoint.path.split("?")[0]}?${c.query}`;
  const auth = c.auth.kind === "valid" ? authHeaders(c.endpoint, creds, app.baseUrl) : c.auth.authorization === null ? {} : { authorization: c.auth.authorization };
  return request({ method: "POST", url: app.baseUrl + path, headers: { ...auth, ...c.headers }, body: c.body, timeoutMs: 60_000, agent, maxResponseBytes: 16 * 1024 * 1024 });
}

describe("hostile input", () => {
  it(`${COUNT} malformed and hostile bodies: no 5xx, no crash, every rejection names its reason`, async () => {
    const pidBefore = app.pid;
    const agent = keepAliveAgent(CONCURRENCY);
    const byCategory = new Map<string, Map<string, number>>();
    const byEndpoint = new Map<string, Map<string, number>>();
    const byStatus = new Map<string, number>();
    const problems: string[] = [];
    const latencies: number[] = [];
    const latencyBy = new Map<string, number[]>();
    const note = (k: string, ms: number) => {
      if (!latencyBy.has(k)) latencyBy.set(k, []);
      latencyBy.get(k)!.push(ms);
    };
    let staleRetries = 0;
    const bump = (m: Map<string, Map<string, number>>, k: string, s: string) => {
      if (!m.has(k)) m.set(k, new Map());
      m.get(k)!.set(s, (m.get(k)!.get(s) ?? 0) + 1);
    };
    const started = Date.now();
    const cases = Array.from({ length: COUNT }, (_, i) => i);
    const gen = hostileCases(SEED, COUNT, ENDPOINT_MIX);
    // Cases are generated lazily, in order, as workers free up (bodies are not all held at once).
    await forEachConcurrent(cases, CONCURRENCY, async () => {
      const next = gen.next();
      if (next.done) return;
      const c = next.value;
      let o = await send(c, agent);
      // Node's documented keep-alive race (the server closed an idle connection as it was reused): resend once.
      if (o.status === null && o.staleKeepAlive) {
        staleRetries++;
        o = await send(c, agent);
      }
      latencies.push(o.ms);
      note(`endpoint ${c.endpoint.name}`, o.ms);
      note(`category ${c.category}`, o.ms);
      const status = o.status === null ? (o.timedOut ? "timeout" : `conn:${o.error}`) : String(o.status);
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      bump(byCategory, c.category, status);
      bump(byEndpoint, c.endpoint.name, status);
      const problem = judge(c, o);
      if (problem) {
        problems.push(`#${c.index} ${c.category} (${c.variant}) → ${c.endpoint.name}: ${problem}; answer ${o.status}: ${o.body.slice(0, 160)}`);
      }
    });
    agent.destroy();
    const elapsedS = (Date.now() - started) / 1000;
    const healthy = await app.healthy();

    const statuses = [...byStatus.keys()].sort();
    const categoryRows = [...byCategory.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cat, m]) => [cat, [...m.values()].reduce((x, y) => x + y, 0), ...statuses.map((s) => m.get(s) ?? 0)]);
    console.log(
      `\nhostile input: ${COUNT} bodies in ${elapsedS.toFixed(1)} s (concurrency ${CONCURRENCY}, seed ${SEED}); ` +
        `latency p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms, max ${round(Math.max(...latencies))} ms; ` +
        `${staleRetries} stale keep-alive resends\n` +
        table(["category", "bodies", ...statuses], categoryRows) +
        "\n\n" +
        table(
          ["endpoint", "bodies", ...statuses],
          [...byEndpoint.entries()].map(([ep, m]) => [ep, [...m.values()].reduce((x, y) => x + y, 0), ...statuses.map((s) => m.get(s) ?? 0)]),
        ) +
        "\n\n" +
        table(["all", "bodies", ...statuses], [["total", COUNT, ...statuses.map((s) => byStatus.get(s) ?? 0)]]),
    );
    if (problems.length) console.log(`first problems:\n${problems.slice(0, 30).join("\n")}`);

    const report = await verifyIngestInvariants(db.pool, { acked: [], checkDerived: true });
    // Task derivation over what the hostile bodies stored. Reported, not asserted: it trips over the two
    // known lib/tasks bugs documented below whenever the corpus stores such a record.
    const derivation = await refreshTasks(db.pool, { wait: true }).then(
      (r) => `ok (${r.hops} hops derived)`,
      (err: Error) => `FAILED: ${err.message}`,
    );
    console.log(`task derivation over the stored hostile records: ${derivation}`);
    writeResults("hostile", {
      seed: SEED,
      bodies: COUNT,
      concurrency: CONCURRENCY,
      elapsedSeconds: elapsedS,
      latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(Math.max(...latencies)) },
      byStatus: Object.fromEntries(byStatus),
      byCategory: Object.fromEntries([...byCategory].map(([k, m]) => [k, Object.fromEntries(m)])),
      byEndpoint: Object.fromEntries([...byEndpoint].map(([k, m]) => [k, Object.fromEntries(m)])),
      staleKeepAliveResends: staleRetries,
      latencyByEndpointAndCategoryMs: Object.fromEntries(
        [...latencyBy].map(([k, v]) => [k, { n: v.length, p50: round(percentile(v, 50)), p95: round(percentile(v, 95)), totalSeconds: round(v.reduce((a, b) => a + b, 0) / 1000) }]),
      ),
      problems,
      serverHealthyAfter: healthy,
      serverPids: app.pids,
      serverProcessErrors: app.processErrors,
      database: report.stats,
      taskDerivation: derivation,
      databaseProblems: report.problems,
    });

    expect(problems.slice(0, 30), `${problems.length} of ${COUNT} answers are wrong`).toEqual([]);
    expect(healthy, "the server still answers afterwards").toBe(true);
    expect(app.pid, "same server process (no restart)").toBe(pidBefore);
    expect(app.unexpectedExits(), app.tail()).toEqual([]);
    expect(app.processErrors, "no uncaught exceptions or unhandled rejections in the server").toEqual([]);
    expect(report.problems, describeProblems(report)).toEqual([]);
  });

  // Poison records found by this suite: one stored record used to make every later task refresh fail,
  // so no hop ingested after it ever got a task. Each runs on a fresh database.
  async function derivesAfterPoison(label: string, poison: Record<string, unknown>): Promise<void> {
    const fresh = await createThrowawayDatabase(label);
    try {
      const event = (id: string, extra: Record<string, unknown>) => ({
        decision_id: id,
        labels: { id: "known-bug-gw" },
        path: "agents/tools/allow",
        result: true,
        timestamp: "2026-11-21T10:00:00Z",
        input: { subject: { id: "alice" } },
        ...extra,
      });
      const body = JSON.stringify([event("poison", poison), event("after-it", {})]);
      const stored = await ingestBytes(fresh.pool, Buffer.from(body), { channel: "cli", engine: "opa" });
      expect(stored.accepted).toBe(2);
      await refreshTasks(fresh.pool, { wait: true });
      const { rows } = await fresh.pool.query(`SELECT count(*)::int AS n FROM hop_delegation d JOIN hops h ON h.id = d.hop_id WHERE h.record_key = 'after-it'`);
      expect(rows[0].n).toBe(1);
    } finally {
      await fresh.drop();
    }
  }

  it("a task id longer than Postgres can index (~2.7 KB) does not stop task derivation", async () => {
    await derivesAfterPoison("known_bug_task_id", { input: { subject: { id: "alice" }, context: { task_id: randomBytes(6_000).toString("base64url") } } });
  });

  it("a decision at 9999-12-31T23:59:59Z does not stop task derivation (its time window is clamped)", async () => {
    await derivesAfterPoison("known_bug_year_9999", { timestamp: "9999-12-31T23:59:59Z" });
  });
});
