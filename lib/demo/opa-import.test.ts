// End to end through the app, as the demo loader will run it: the demo bundles written to disk and
// imported as OPA policy versions (importDirectory), the demo OPA events ingested, and every record
// replayed against the version its bundle revision resolves to (replayRecord).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ingestBytes } from "../ingest/ingest.ts";
import { importDirectory } from "../policies/index.ts";
import { replayRecord } from "../replay/record-replay.ts";
import { useTestDatabase } from "../../tests/setup/db.ts";
import { demoOpaBundles, generateDemoLogs, writeDemoOpaBundles } from "./index.ts";

const getPool = useTestDatabase();

describe("demo OPA bundles imported into the app", () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-opa-import-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every ingested demo OPA record replays as reproduced against the bundle revision it names", async () => {
    const pool = getPool();
    // A seed and a time no other test uses, so these records and revisions are this test's own.
    const logs = generateDemoLogs({ seed: 4711, count: 400, start: new Date("2033-03-01T08:00:00Z"), spanHours: 6 });
    const bundles = demoOpaBundles(logs.policyTimeline);
    for (const [i, bundleDir] of writeDemoOpaBundles(dir, bundles).entries()) {
      const imported = await importDirectory(pool, bundleDir, { source: "demo/opa-bundles" });
      expect(imported.version).toMatchObject({ engine: "opa", label: bundles[i].revision, compileErrors: null });
    }
    await ingestBytes(pool, logs.opaEvents, { channel: "cli" });
    const events = JSON.parse(logs.opaEvents.toString()) as Array<{ decision_id: string; bundles: Record<string, { revision: string }> }>;
    const { rows } = await pool.query<{ id: string; record_key: string }>(`SELECT id::text, record_key FROM records WHERE engine = 'opa' AND record_key = ANY($1::text[])`, [
      events.map((e) => e.decision_id),
    ]);
    expect(rows.length).toBe(events.length);
    const revisionOf = new Map(events.map((e) => [e.decision_id, e.bundles["agents-authz"].revision]));
    const resolved = new Set<string>();
    for (const row of rows) {
      const replay = await replayRecord(pool, row.id, { kind: "resolved" });
      expect(replay.status, `${row.record_key}: ${JSON.stringify(replay.opa)}`).toBe("reproduced");
      expect(replay.target).toMatchObject({ kind: "version", resolvedBy: "bundle_revision", ref: revisionOf.get(row.record_key) });
      resolved.add(revisionOf.get(row.record_key)!);
    }
    expect(resolved.size).toBe(3);
  });
});
