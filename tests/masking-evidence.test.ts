// Evidence bundles are masked by default: records holding sensitive values are withheld (leaf hash +
// inclusion proof + masked copy), the tables and reports are masked, and the bundle still verifies
// offline. includeSensitive ships everything raw, needs a reason, and is recorded in the manifest and
// the audit trail. Tampering with a withheld record's proof or masked copy is caught.
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { main } from "../bin/cli.ts";
import { POST as exportRoute } from "../app/api/evidence/export/route.ts";
import { exportEvidence } from "../lib/evidence/export.ts";
import { type EvidenceManifest } from "../lib/evidence/manifest.ts";
import { openBundle, packBundle, testKeysDir } from "../lib/evidence/testing/fixtures.ts";
import { verifyEvidenceBundle } from "../lib/evidence/verify.ts";
import { leafHash } from "../lib/ingest/merkle.ts";
import { clearSensitiveRulesCache } from "../lib/masking/settings.ts";
import { EMAIL, ingestSensitive, lastAudit, PEER, request, user } from "./masking-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const keysDir = testKeysDir(inject("databaseUrl"));
const text = (d: Uint8Array) => Buffer.from(d).toString("utf8");
let ids: { cerbos: string; opa: string; taskId: string };

interface Proof {
  leafIndex: number;
  file?: string;
  withheld?: true;
  maskedFile?: string;
  maskedPaths?: string[];
  leafHash: string;
  rawSha256: string;
  inclusionProof: string[];
}

beforeAll(async () => {
  clearSensitiveRulesCache();
  ids = await ingestSensitive(getPool(), randomUUID().slice(0, 8));
});

const exportTask = (extra: Partial<Parameters<typeof exportEvidence>[1]> = {}) =>
  exportEvidence(getPool(), { scope: { type: "task", taskId: ids.taskId }, reason: "masking tests", actor: "test:masking", origin: "test", keysDir, ...extra });

describe("masked evidence bundle (default)", () => {
  let zip: Uint8Array;
  let files: Record<string, Uint8Array>;
  let proofs: Proof[];
  let manifest: EvidenceManifest;

  beforeAll(async () => {
    const result = await exportTask();
    zip = result.zip;
    manifest = result.manifest;
    files = openBundle(zip);
    proofs = JSON.parse(text(files["proofs.json"])).records;
  });

  it("verifies offline and says how many records were withheld", () => {
    const outcome = verifyEvidenceBundle(zip);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.passed.join("\n")).toMatch(/records: 0\/2 records valid from their bytes .*; 2 withheld as sensitive, their leaf hashes proven/);
    expect(outcome.passed).toContain("sensitive data: masked (2 record(s) withheld)");
    expect(manifest.masking).toMatchObject({ mode: "masked", withheldRecords: 2, reason: null });
    expect(manifest.masking!.rules).toContain("**.email");
  });

  it("carries no sensitive value anywhere, and no raw record holding one", () => {
    expect(Object.keys(files).filter((f) => f.startsWith("records/"))).toEqual([]);
    for (const [name, data] of Object.entries(files)) {
      const t = text(data);
      for (const secret of [EMAIL, PEER, "bob@acme.example", "192.0.2.10"]) expect(t.includes(secret), `${secret} in ${name}`).toBe(false);
    }
  });

  it("withheld records carry the real leaf hash and a masked copy listing what was masked", async () => {
    const { rows } = await getPool().query(`SELECT leaf_index::int AS i, raw_bytes FROM records WHERE id = ANY($1::bigint[])`, [[ids.cerbos, ids.opa]]);
    for (const r of rows) {
      const p = proofs.find((x) => x.leafIndex === r.i)!;
      expect(p).toMatchObject({ withheld: true, maskedFile: `records-masked/${String(r.i).padStart(9, "0")}.json` });
      expect(p.file).toBeUndefined();
      expect(p.leafHash).toBe(leafHash(r.raw_bytes).toString("hex"));
      const copy = JSON.parse(text(files[p.maskedFile!]));
      for (const pointer of p.maskedPaths!) {
        const value = pointer
          .split("/")
          .slice(1)
          .reduce((node: Record<string, unknown>, k) => node[k.replace(/~1/g, "/").replace(/~0/g, "~")] as Record<string, unknown>, copy);
        expect(String(value)).toMatch(/^•••• masked \(/);
      }
    }
  });

  it("masks the derived tables and reports", () => {
    expect(text(files["report/report.html"])).toContain("2 record(s) holding sensitive values are withheld");
    const timeline = JSON.parse(text(files["derived/timeline.json"]));
    expect(timeline.map((t: { recordFile: string }) => t.recordFile).every((f: string) => f.startsWith("records-masked/"))).toBe(true);
  });

  it("tampering with a withheld record is caught", () => {
    const target = proofs.find((p) => p.withheld)!;
    // A forged leaf hash no longer reaches the checkpoint root; the proofs file's own hash fails first.
    const forged = JSON.parse(text(files["proofs.json"]));
    forged.records.find((p: Proof) => p.leafIndex === target.leafIndex).leafHash = "0".repeat(64);
    expect(verifyEvidenceBundle(packBundle({ ...files, "proofs.json": Buffer.from(JSON.stringify(forged)) })).failure).toMatch(/^proofs\.json: sha256 mismatch/);
    // The masked copy is covered by the signed manifest.
    const altered = Buffer.from(text(files[target.maskedFile!]).replace("masked", "MASKED"));
    expect(verifyEvidenceBundle(packBundle({ ...files, [target.maskedFile!]: altered })).failure).toMatch(new RegExp(`^${target.maskedFile!.replace(/[./]/g, "\\$&")}: sha256 mismatch`));
    const dropped = { ...files };
    delete dropped[target.maskedFile!];
    expect(verifyEvidenceBundle(packBundle(dropped)).failure).toBe(`${target.maskedFile}: missing from bundle`);
    expect(verifyEvidenceBundle(packBundle({ ...files, "records-masked/999999999.json": Buffer.from("{}") })).failure).toBe(
      "records-masked/999999999.json: extra file: not listed in the signed manifest",
    );
  });
});

describe("includeSensitive", () => {
  it("needs a reason of at least 10 characters", async () => {
    await expect(exportTask({ includeSensitive: true })).rejects.toThrow("sensitiveReason is required");
    await expect(exportTask({ includeSensitive: true, sensitiveReason: "court" })).rejects.toThrow(/sensitiveReason must be at least 10 characters/);
    await expect(exportTask({ sensitiveReason: "a reason without the flag" })).rejects.toThrow("sensitiveReason is only taken together with includeSensitive");
  });

  it("ships the raw records and unmasked tables, recorded in the manifest and the audit trail", async () => {
    const result = await exportTask({ includeSensitive: true, sensitiveReason: "Court order 2026-114 requires originals" });
    expect(verifyEvidenceBundle(result.zip)).toMatchObject({ ok: true });
    const files = openBundle(result.zip);
    const records = Object.keys(files).filter((f) => f.startsWith("records/"));
    expect(records).toHaveLength(2);
    expect(records.some((f) => text(files[f]).includes(EMAIL))).toBe(true);
    expect(Object.keys(files).some((f) => f.startsWith("records-masked/"))).toBe(false);
    expect(result.manifest.masking).toMatchObject({ mode: "sensitive-included", reason: "Court order 2026-114 requires originals", withheldRecords: 0 });
    const exported = await getPool().query(`SELECT details FROM audit_events WHERE id = $1`, [result.auditEventId]);
    expect(exported.rows[0].details.masking).toEqual({ mode: "sensitive-included", withheldRecords: 0, sensitiveReason: "Court order 2026-114 requires originals" });
    const reveal = await lastAudit(getPool(), "sensitive.reveal", "test:masking");
    expect(reveal).toMatchObject({ target: `evidence:${result.manifest.bundleId}`, reason: "Court order 2026-114 requires originals", details: { evidenceExport: result.auditEventId, records: 2 } });
  });
});

describe("export route and CLI", () => {
  it("refuses includeSensitive without sensitive.reveal, or without a reason", async () => {
    const auditorOnlyExport = user("exporter", ["policy_owner"]);
    const denied = await exportRoute(request(auditorOnlyExport, "POST", "/api/evidence/export", { task: ids.taskId, reason: "r", includeSensitive: true, sensitiveReason: "long enough reason" }));
    expect(denied.status).toBe(403);
    expect((await denied.json()).error).toMatch(/includeSensitive needs the sensitive\.reveal permission/);
    const auditor = user("auditor-x", ["auditor"]);
    const noReason = await exportRoute(request(auditor, "POST", "/api/evidence/export", { task: ids.taskId, reason: "r", includeSensitive: true }));
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).field).toBe("sensitiveReason");
  });

  it("CLI: masked by default; --include-sensitive takes the reason", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hindsight-masking-"));
    const run = async (args: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = "";
      stdout.on("data", (d) => (out += d));
      stderr.on("data", (d) => (out += d));
      const code = await main(args, { stdin: new PassThrough(), stdout, stderr });
      return { code, out };
    };
    process.env.HINDSIGHT_KEYS_DIR = keysDir;
    const file = path.join(dir, "masked.zip");
    const masked = await run(["evidence", "export", "--task", ids.taskId, "--reason", "cli masked", "--out", file]);
    expect(masked.out).toContain("sensitive data: masked; 2 record(s) withheld");
    expect(masked.code).toBe(0);
    const verified = await run(["evidence", "verify", file]);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain("OK: bundle verified");
    const short = await run(["evidence", "export", "--task", ids.taskId, "--reason", "x", "--out", file, "--include-sensitive", "why"]);
    expect(short.code).toBe(2);
    expect(short.out).toContain("--include-sensitive needs a reason of at least 10 characters");
    const full = await run(["evidence", "export", "--task", ids.taskId, "--reason", "x", "--out", path.join(dir, "full.zip"), "--include-sensitive", "Court order 2026-114"]);
    expect(full.code).toBe(0);
    expect(full.out).toContain("sensitive data: INCLUDED");
    await writeFile(path.join(dir, "done"), "");
  });
});
