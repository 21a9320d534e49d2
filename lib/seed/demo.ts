// Demo data: a realistic set of Cerbos and OPA records (lib/demo) loaded through the normal ingest
// path, then derived into tasks, so a newcomer's explorer and task views are never empty.
// Demo rows are flagged is_demo; only they may be reset.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { demoOpaBundles, demoPolicyHistory, generateDemoLogs, writeDemoGitRepo, writeDemoOpaBundles } from "../demo/index.ts";
import { importDirectory, importGitRepository } from "../policies/index.ts";
import { getPool } from "../db/pool.ts";
import { ingestBytes, type IngestSummary } from "../ingest/ingest.ts";
import { refreshTasks } from "../tasks/refresh.ts";
import { subtractFromRollup } from "../ingest/rollup.ts";
import { regroupOrphans } from "../tasks/regroup.ts";

export const DEMO_RECORD_COUNT = 2_000;
const DEMO_SEED = 42;

export interface DemoLoadResult {
  summaries: IngestSummary[];
  /** Task id of the scripted incident (see lib/demo/incident.ts). */
  incidentTaskId: string | null;
  /** Cerbos policy versions imported from the demo policy history (one per commit). */
  versions: number;
  /** OPA bundle versions imported (one per agents-authz revision). */
  bundles: number;
}

/**
 * The demo's Cerbos decisions are made by real policies (lib/demo/policies, three commits). The history
 * is written as a real git repository, imported as policy versions, and the records point at its
 * commits, so demo decisions replay as "reproduced" and v3 can be tried as an impact candidate.
 */
export async function loadDemoData(): Promise<DemoLoadResult> {
  const pool = getPool();
  const timeline = generateDemoLogs({ seed: DEMO_SEED, count: 0 }).policyTimeline;
  const repoDir = await mkdtemp(path.join(tmpdir(), "hindsight-demo-policies-"));
  let versions = 0;
  let bundles = 0;
  let logs;
  try {
    const repo = await writeDemoGitRepo(path.join(repoDir, "repo"), demoPolicyHistory(timeline));
    versions = (await importGitRepository(pool, repo.dir, { subdir: repo.subdirectory })).length;
    // The OPA side: each agents-authz bundle revision the demo's OPA events name, as an OPA version.
    for (const dir of writeDemoOpaBundles(path.join(repoDir, "opa-bundles"), demoOpaBundles(timeline))) {
      await importDirectory(pool, dir, { source: "demo:agents-authz" });
      bundles++;
    }
    logs = generateDemoLogs({ seed: DEMO_SEED, count: DEMO_RECORD_COUNT, policyCommits: repo.commits });
  } finally {
    await rm(repoDir, { recursive: true, force: true });
  }
  const summaries: IngestSummary[] = [];
  // Cerbos records name no PDP; each demo PDP's log is ingested under its own name, as a shipper would.
  for (const [pdp, ndjson] of Object.entries(logs.cerbosByPdp)) {
    summaries.push(await ingestBytes(pool, ndjson, { channel: "demo", origin: `demo/${pdp}-audit.ndjson`, pdpInstance: pdp, isDemo: true }));
  }
  summaries.push(await ingestBytes(pool, logs.opaEvents, { channel: "demo", origin: "demo/opa-decisions.json", isDemo: true }));
  await refreshTasks(pool, { wait: true });
  return { summaries, versions, bundles, incidentTaskId: logs.incident?.taskId ?? null };
}

/** Loads the demo set when the database holds no records at all; returns the summary or null. */
export async function loadDemoDataIfEmpty(): Promise<{ accepted: number } | null> {
  const { rows } = await getPool().query("SELECT 1 FROM records LIMIT 1");
  if (rows.length > 0) return null;
  const { summaries } = await loadDemoData();
  return { accepted: summaries.reduce((n, s) => n + s.accepted, 0) };
}

/** `hindsight demo --reset`: removes demo rows (the append-only trigger allows exactly these) and reloads. */
export async function resetDemoData(): Promise<DemoLoadResult> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL hindsight.demo_reset = 'on'");
    // Take the demo hops out of the hourly rollup before they go.
    await subtractFromRollup(client, "h.record_id IN (SELECT id FROM records WHERE is_demo)");
    // Derived rows of demo hops go first; tasks that held them are rebuilt from the reloaded set.
    await client.query(
      `DELETE FROM tasks WHERE task_key IN (SELECT th.task_key FROM task_hops th JOIN hops h ON h.id = th.hop_id JOIN records r ON r.id = h.record_id WHERE r.is_demo)`,
    );
    await client.query(`DELETE FROM task_hops WHERE task_key NOT IN (SELECT task_key FROM tasks)`);
    await client.query(`DELETE FROM hop_delegation WHERE hop_id IN (SELECT h.id FROM hops h JOIN records r ON r.id = h.record_id WHERE r.is_demo)`);
    await client.query("DELETE FROM hops WHERE record_id IN (SELECT id FROM records WHERE is_demo)");
    await client.query("DELETE FROM records WHERE is_demo");
    await client.query("DELETE FROM ingest_batches b WHERE channel = 'demo' AND NOT EXISTS (SELECT 1 FROM records r WHERE r.batch_id = b.id)");
    await client.query("COMMIT");
    // Non-demo hops that shared a task with demo hops lost their task: regroup them.
    await client.query("BEGIN");
    await regroupOrphans(client);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  return loadDemoData();
}
