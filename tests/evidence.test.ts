// Integration: evidence bundles built from ingested records verify offline; subsets prove against the
// full log's checkpoint; exports are audited; keys rotate without breaking old bundles.
import { statSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { main } from "../bin/cli.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { leafHash, verifyInclusion } from "../lib/ingest/merkle.ts";
import { currentTreeSize } from "../lib/ingest/merkle-log.ts";
import { verifyCheckpointSignature } from "../lib/evidence/checkpoint-note.ts";
import { exportEvidence } from "../lib/evidence/export.ts";
import { listSigningKeys, rotateSigningKey } from "../lib/evidence/signing-keys.ts";
import { cerbosDecisionLine, fakeUlid, ndjson, opaEventLine, openBundle, testKeysDir } from "../lib/evidence/testing/fixtures.ts";
import { verifyEvidenceBundle } from "../lib/evidence/verify.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const keysDir = testKeysDir(inject("databaseUrl"));
const text = (d: Uint8Array) => Buffer.from(d).toString("utf8");

const task = `task-${uniquePdp("t")}`;
const cerbosPdp = uniquePdp("cerbos");
const opaPdp = uniquePdp("opa");
const base = Date.parse("2026-06-01T10:00:00Z");
const iso = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

async function ingestTask(): Promise<void> {
  const pool = getPool();
  const cerbos = [0, 1, 2, 3].map((i) =>
    cerbosDecisionLine({ callId: fakeUlid(`${task}-c${i}`), at: iso(i), taskId: i < 3 ? task : `${task}-other`, principal: "alice", agent: "agent-7", action: i === 2 ? "refund" : "transfer", effect: i === 2 ? "DENY" : "ALLOW", commit: i < 2 ? "a".repeat(40) : "b".repeat(40) }),
  );
  // The OPA PDP goes quiet for three hours: a gap the manifest must report.
  const opa = [0, 1, 200].map((m, i) => opaEventLine({ pdp: opaPdp, decisionId: `${task}-o${i}`, at: iso(m), taskId: task, allow: i !== 1, revision: "rev-1" }));
  // Cerbos's access entry for the first call names no task: it joins the task through its callId.
  const access = JSON.stringify({ "log.logger": "cerbos.audit", "log.kind": "access", callId: fakeUlid(`${task}-c0`), timestamp: iso(0), peer: { address: "10.0.0.7:4410" }, method: "/cerbos.svc.v1.CerbosService/CheckResources" });
  expect(await ingestBytes(pool, ndjson([access, ...cerbos]), { channel: "cli", pdpInstance: cerbosPdp })).toMatchObject({ accepted: 5, rejected: [] });
  expect(await ingestBytes(pool, ndjson(opa), { channel: "cli" })).toMatchObject({ accepted: 3, rejected: [] });
}

const exportTask = (extra: Partial<Parameters<typeof exportEvidence>[1]> = {}) =>
  exportEvidence(getPool(), { scope: { type: "task", taskId: task }, reason: "SOC 2 sample PAY-17", actor: "test:auditor", origin: "test", keysDir, ...extra });

describe("evidence export", () => {
  beforeAll(ingestTask);

  it("exports a task as a signed bundle that verifies offline, records byte-exact", async () => {
    const pool = getPool();
    const result = await exportTask();
    const outcome = verifyEvidenceBundle(result.zip);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.ok).toBe(true);

    const m = result.manifest;
    expect(m.counts).toMatchObject({ records: 7, hops: 6, total: { allow: 4, deny: 2 } });
    expect(m.counts.byEngine.cerbos).toMatchObject({ records: 4, hops: 3 });
    expect(m.counts.byPdp.opa[opaPdp]).toMatchObject({ records: 3, hops: 3 });
    expect(m.policyVersions.map((p) => p.sourceRef)).toEqual(expect.arrayContaining(["a".repeat(40), "b".repeat(40)]));
    expect(m.gaps.timeGaps).toEqual([expect.objectContaining({ engine: "opa", pdpInstance: opaPdp, seconds: 199 * 60 })]);
    expect(m.gaps.sequence.contiguous).toBe(true);
    expect(m.query.records.sql).toContain("requestContext,annotations,task_id");
    expect(m.query.records.params).toEqual([task, m.checkpoint.treeSize]);

    const files = openBundle(result.zip);
    const { rows } = await pool.query(`SELECT leaf_index::int AS i, raw_bytes FROM records WHERE leaf_index = ANY($1::bigint[]) ORDER BY leaf_index`, [
      JSON.parse(text(files["proofs.json"])).records.map((r: { leafIndex: number }) => r.leafIndex),
    ]);
    expect(rows).toHaveLength(7);
    // Masked by default: the Cerbos access entry holds a peer address, so it is withheld (proven by leaf
    // hash, shipped as a masked copy); every other record ships byte-exact.
    const proofList: { leafIndex: number; file?: string; withheld?: boolean; maskedFile?: string; leafHash: string }[] = JSON.parse(text(files["proofs.json"])).records;
    for (const r of rows) {
      const p = proofList.find((x) => x.leafIndex === r.i)!;
      if (p.withheld) {
        expect(files[`records/${String(r.i).padStart(9, "0")}.json`]).toBeUndefined();
        expect(p.leafHash).toBe(leafHash(r.raw_bytes).toString("hex"));
        expect(text(files[p.maskedFile!])).toContain('"address": "•••• masked (ip)"');
        expect(text(files[p.maskedFile!])).not.toContain("10.0.0.7");
      } else expect(Buffer.from(files[`records/${String(r.i).padStart(9, "0")}.json`]).equals(r.raw_bytes)).toBe(true);
    }
    expect(proofList.filter((p) => p.withheld)).toHaveLength(1);
    expect(m.masking).toMatchObject({ mode: "masked", withheldRecords: 1, maskedValues: 1, reason: null, rulesSource: "builtin" });
    for (const name of ["manifest.json", "manifest.sig", "signing-key.pub.pem", "SHA256SUMS", "proofs.json", "derived/hops.json", "derived/hops.csv", "derived/timeline.json", "derived/timeline.csv", "report/report.html", "report/report.pdf"]) {
      expect(files[name], name).toBeDefined();
    }
    expect(text(files["report/report.pdf"]).startsWith("%PDF-")).toBe(true);
    const html = text(files["report/report.html"]);
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(text(files["SHA256SUMS"])).toMatch(/^[0-9a-f]{64} {2}derived\/hops\.csv\n/m);
    expect(text(files["SHA256SUMS"])).toMatch(/^[0-9a-f]{64} {2}manifest\.json\n/m);
    expect(text(files["SHA256SUMS"])).not.toMatch(/ {2}(SHA256SUMS|manifest\.sig)$/m);

    // The checkpoint is stored and signed; the export is in the audit trail with its reason.
    const { rows: cps } = await pool.query(`SELECT root_hash, signature, key_id FROM merkle_checkpoints WHERE tree_size = $1`, [m.checkpoint.treeSize]);
    expect(cps).toEqual([{ root_hash: m.checkpoint.rootHash, signature: m.checkpoint.signature, key_id: m.checkpoint.keyId }]);
    expect(verifyCheckpointSignature(m.checkpoint.publicKeyPem, m.checkpoint)).toBe(true);
    const { rows: audit } = await pool.query(`SELECT actor, action, reason, origin, target, details FROM audit_events WHERE id = $1`, [result.auditEventId]);
    expect(audit[0]).toMatchObject({ actor: "test:auditor", action: "evidence.export", reason: "SOC 2 sample PAY-17", origin: "test", target: `task ${task}` });
    expect(audit[0].details).toMatchObject({ manifestSha256: result.manifestSha256, bundleId: m.bundleId, records: 7 });

    // Private key: a 0600 file in the keys directory, never in the database.
    expect(statSync(path.join(keysDir, `${m.signingKey.keyId}.ed25519.pem`)).mode & 0o777).toBe(0o600);
    const { rows: keyRows } = await pool.query(`SELECT * FROM signing_keys`);
    expect(JSON.stringify(keyRows)).not.toContain("PRIVATE KEY");
  });

  it("exports a filtered time range: a subset whose proofs check against the full log's checkpoint", async () => {
    const result = await exportEvidence(getPool(), {
      scope: { type: "timeRange", from: iso(0), to: iso(10), filters: { engine: "cerbos", effect: "allow", pdp: cerbosPdp } },
      reason: "subset",
      actor: "test:auditor",
      origin: "test",
      keysDir,
    });
    expect(verifyEvidenceBundle(result.zip).ok).toBe(true);
    const m = result.manifest;
    expect(m.counts).toMatchObject({ records: 3, hops: 3, total: { allow: 3, deny: 0 } });
    expect(m.checkpoint.treeSize).toBe(await currentTreeSize(getPool()));
    expect(m.checkpoint.treeSize).toBeGreaterThan(m.counts.records);
    const files = openBundle(result.zip);
    const proofs = JSON.parse(text(files["proofs.json"]));
    const root = Buffer.from(m.checkpoint.rootHash, "hex");
    for (const p of proofs.records) {
      const leaf = leafHash(Buffer.from(files[p.file]));
      expect(verifyInclusion(p.leafIndex, m.checkpoint.treeSize, leaf, p.inclusionProof.map((h: string) => Buffer.from(h, "hex")), root)).toBe(true);
    }
    const hops = JSON.parse(text(files["derived/hops.json"]));
    expect(hops.every((h: { effect: string; engine: string }) => h.effect === "allow" && h.engine === "cerbos")).toBe(true);
    expect(m.timeRange.requested).toEqual({ from: iso(0), to: iso(10) });

    // A bare time range is the whole population in the window (records without decisions too).
    const all = await exportEvidence(getPool(), { scope: { type: "timeRange", from: iso(0), to: iso(10) }, reason: "population", actor: "test:auditor", origin: "test", keysDir });
    expect(all.manifest.query.records.sql).toMatch(/WHERE r\.decided_at >= \$1::timestamptz AND r\.decided_at <= \$2::timestamptz/);
    expect(all.manifest.counts.records).toBeGreaterThanOrEqual(6);
    expect(verifyEvidenceBundle(all.zip).ok).toBe(true);
  });

  it("reuses the checkpoint while the log has not grown, and checkpoints again after ingest", async () => {
    const pool = getPool();
    const a = await exportTask();
    const b = await exportTask();
    expect(b.manifest.checkpoint).toEqual(a.manifest.checkpoint);
    await ingestBytes(pool, ndjson([opaEventLine({ pdp: opaPdp, decisionId: `${task}-late`, at: iso(300), taskId: task, allow: true })]), { channel: "cli" });
    const c = await exportTask();
    expect(c.manifest.checkpoint.treeSize).toBe(a.manifest.checkpoint.treeSize + 1);
    expect(c.manifest.counts.records).toBe(8);
    expect(verifyEvidenceBundle(c.zip).ok).toBe(true);
  });

  it("is deterministic: the same scope, clock and bundle id give the same bytes", async () => {
    const fixed = { now: new Date("2026-06-02T00:00:00Z"), bundleId: "00000000-0000-4000-8000-000000000001" };
    const a = await exportTask(fixed);
    const b = await exportTask(fixed);
    expect(Buffer.from(a.zip).equals(Buffer.from(b.zip))).toBe(true);
    expect(a.auditEventId).not.toBe(b.auditEventId); // each export is still its own audit event
  });

  it("exports an empty scope as a verifiable bundle that says so", async () => {
    const result = await exportTask({ scope: { type: "task", taskId: `${task}-never-seen` } });
    expect(result.manifest.counts).toMatchObject({ records: 0, hops: 0 });
    expect(result.manifest.timeRange.observed).toBeNull();
    expect(verifyEvidenceBundle(result.zip)).toMatchObject({ ok: true });
  });

  it("refuses an export without a reason, or with a bad scope, naming the field", async () => {
    await expect(exportTask({ reason: "  " })).rejects.toThrow("reason is required");
    await expect(exportTask({ scope: { type: "task", taskId: "" } })).rejects.toThrow("scope.taskId: must not be empty");
    await expect(exportTask({ scope: { type: "timeRange", from: "yesterday", to: iso(1) } })).rejects.toThrow("scope.from");
    await expect(exportTask({ scope: { type: "filter", filters: { color: "red" } } })).rejects.toThrow('unknown filter "color"');
    await expect(exportTask({ maxRecords: 2 })).rejects.toThrow(/the scope selects \d+ records, more than one bundle holds \(2\); narrow it/);
    await expect(exportTask({ maxRecords: 100_000 })).rejects.toThrow("maxRecords must be a whole number from 1 to 60000");
  });

  it("rotates keys: old bundles verify with the old pinned key, new ones are signed by the new key", async () => {
    const pool = getPool();
    const before = await exportTask();
    const oldPem = text(openBundle(before.zip)["signing-key.pub.pem"]);
    const { retired, active } = await rotateSigningKey(pool, keysDir);
    expect(retired).toEqual([before.manifest.signingKey.keyId]);
    const after = await exportTask();
    expect(after.manifest.signingKey.keyId).toBe(active.keyId);
    // The log did not grow: the checkpoint made by the retired key is reused and still verifies.
    expect(after.manifest.checkpoint.keyId).toBe(before.manifest.checkpoint.keyId);
    expect(verifyEvidenceBundle(after.zip).ok).toBe(true);
    expect(verifyEvidenceBundle(before.zip, { pinnedKeyPem: oldPem }).ok).toBe(true);
    const pinnedOld = verifyEvidenceBundle(after.zip, { pinnedKeyPem: oldPem });
    expect(pinnedOld.failure).toMatch(new RegExp(`^signing-key\\.pub\\.pem: bundle is signed with key ${active.keyId} .*not the pinned key ${before.manifest.signingKey.keyId}`));
    const keys = await listSigningKeys(pool);
    expect(keys.find((k) => k.keyId === before.manifest.signingKey.keyId)?.retiredAt).toBeInstanceOf(Date);
    expect(keys.find((k) => k.keyId === active.keyId)?.retiredAt).toBeNull();
  });

  it("CLI: verify prints a summary and exits 0, or names the first failure and exits 1", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hindsight-evidence-"));
    const result = await exportTask();
    const file = path.join(dir, "bundle.zip");
    await writeFile(file, result.zip);
    const keyFile = path.join(dir, "key.pem");
    await writeFile(keyFile, openBundle(result.zip)["signing-key.pub.pem"]);
    const run = async (args: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = "";
      stdout.on("data", (d) => (out += d));
      stderr.on("data", (d) => (out += d));
      const code = await main(args, { stdin: new PassThrough(), stdout, stderr });
      return { code, out };
    };
    const ok = await run(["evidence", "verify", file, "--key", keyFile]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("matches the pinned key");
    expect(ok.out).toMatch(/records: 7\/8 records valid from their bytes .*; 1 withheld as sensitive/);
    expect(ok.out).toContain("sensitive data: masked (1 record(s) withheld)");
    expect(ok.out.trim().endsWith("OK: bundle verified")).toBe(true);

    const zip = new Uint8Array(await readFile(file));
    const files = openBundle(zip);
    const recordFile = Object.keys(files).find((f) => f.startsWith("records/"))!;
    const { flipByte } = await import("../lib/evidence/testing/fixtures.ts");
    await writeFile(file, flipByte(zip, recordFile));
    const bad = await run(["evidence", "verify", file]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(new RegExp(`FAIL: ${recordFile.replace(/\./g, "\\.")}: sha256 mismatch \\(expected [0-9a-f]{64}, got [0-9a-f]{64}\\)`));

    expect((await run(["evidence", "export", "--task", task, "--out", file])).code).toBe(2);
    expect((await run(["evidence", "export", "--from", iso(0), "--reason", "x", "--out", file])).code).toBe(2);

    // The CLI export writes a bundle that verifies, records the CLI actor, and lists the key.
    const saved = process.env.HINDSIGHT_KEYS_DIR;
    process.env.HINDSIGHT_KEYS_DIR = keysDir;
    try {
      const out = path.join(dir, "cli.zip");
      const exported = await run(["evidence", "export", "--from", iso(0), "--to", iso(5), "--pdp", opaPdp, "--reason", "CLI check", "--out", out]);
      expect(exported.code).toBe(0);
      expect(exported.out).toMatch(/^wrote .*cli\.zip \(\d+ bytes\)$/m);
      const cliZip = new Uint8Array(await readFile(out));
      expect(verifyEvidenceBundle(cliZip).ok).toBe(true);
      const manifest = JSON.parse(text(openBundle(cliZip)["manifest.json"]));
      expect(manifest.exporter).toEqual({ actor: `cli:${os.userInfo().username}@${os.hostname()}`, origin: "cli" });
      expect(manifest.counts.records).toBe(2);
      const keys = await run(["evidence", "keys"]);
      expect(keys.code).toBe(0);
      expect(keys.out).toContain(`${manifest.signingKey.keyId}  ${manifest.signingKey.fingerprint}`);
    } finally {
      if (saved === undefined) delete process.env.HINDSIGHT_KEYS_DIR;
      else process.env.HINDSIGHT_KEYS_DIR = saved;
    }
    expect((await run(["evidence", "verify"])).code).toBe(2);
  });
});
