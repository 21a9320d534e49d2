// Tamper tests: every kind of change to a bundle fails offline verification with a message that names
// the file and what differs. Includes tamperers who hold a signing key (their own, or the real one).
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { leafHash } from "../lib/ingest/merkle.ts";
import { describeFile, formatSha256Sums, sha256Hex } from "../lib/evidence/bundle-layout.ts";
import { exportEvidence } from "../lib/evidence/export.ts";
import { publicKeyOfPrivate, signBytes } from "../lib/evidence/key-material.ts";
import { type EvidenceManifest, serializeManifest } from "../lib/evidence/manifest.ts";
import { type BundleFiles, cerbosDecisionLine, fakeUlid, flipByte, ndjson, opaEventLine, openBundle, packBundle, testKeysDir } from "../lib/evidence/testing/fixtures.ts";
import { verifyEvidenceBundle } from "../lib/evidence/verify.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const keysDir = testKeysDir(inject("databaseUrl"));
const task = `task-${uniquePdp("tamper")}`;
const HEX = "[0-9a-f]{64}";
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

let zip: Uint8Array;
let files: BundleFiles;
let recordFiles: string[];

function attackerKey(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** Re-packs a changed bundle as a tamperer holding `privateKeyPem` would: manifest hashes, SHA256SUMS and signature all redone. */
function resign(original: BundleFiles, privateKeyPem: string, change: (f: BundleFiles, m: EvidenceManifest) => void): Uint8Array {
  const f: BundleFiles = { ...original };
  const m = JSON.parse(Buffer.from(f["manifest.json"]).toString("utf8")) as EvidenceManifest;
  const key = publicKeyOfPrivate(privateKeyPem);
  f["signing-key.pub.pem"] = Buffer.from(key.publicKeyPem);
  m.signingKey = { ...m.signingKey, keyId: key.keyId, fingerprint: key.fingerprint };
  change(f, m);
  const skip = new Set(["manifest.json", "manifest.sig", "SHA256SUMS"]);
  m.files = Object.keys(f).filter((p) => !skip.has(p)).sort().map((p) => describeFile(p, f[p]));
  f["manifest.json"] = serializeManifest(m);
  f["SHA256SUMS"] = Buffer.from(formatSha256Sums([...m.files, describeFile("manifest.json", f["manifest.json"])]));
  f["manifest.sig"] = signBytes(privateKeyPem, f["manifest.json"]);
  return packBundle(f);
}

function failure(bundle: Uint8Array, pinnedKeyPem?: string): string {
  const outcome = verifyEvidenceBundle(bundle, { pinnedKeyPem });
  expect(outcome.ok).toBe(false);
  return outcome.failure!;
}

describe("evidence bundle tampering", () => {
  beforeAll(async () => {
    const pool = getPool();
    const pdp = uniquePdp("cerbos");
    const lines = [0, 1, 2].map((i) =>
      cerbosDecisionLine({ callId: fakeUlid(`${task}-${i}`), at: `2026-07-01T10:0${i}:00Z`, taskId: task, principal: "bob", action: "transfer", effect: i === 1 ? "DENY" : "ALLOW", commit: "c".repeat(40) }),
    );
    await ingestBytes(pool, ndjson(lines), { channel: "cli", pdpInstance: pdp });
    await ingestBytes(pool, ndjson([opaEventLine({ pdp: uniquePdp("opa"), decisionId: `${task}-o`, at: "2026-07-01T10:05:00Z", taskId: task, allow: false })]), { channel: "cli" });
    const result = await exportEvidence(pool, { scope: { type: "task", taskId: task }, reason: "tamper tests", actor: "test", origin: "test", keysDir });
    zip = result.zip;
    files = openBundle(zip);
    recordFiles = Object.keys(files).filter((f) => f.startsWith("records/")).sort();
    expect(recordFiles).toHaveLength(4);
    expect(verifyEvidenceBundle(zip).ok).toBe(true);
  });

  it("untouched bundle verifies", () => {
    expect(verifyEvidenceBundle(zip)).toMatchObject({ ok: true });
    expect(verifyEvidenceBundle(packBundle(files)).ok).toBe(true); // re-zipping alone changes nothing that matters
    // Nor do the directory entries `zip -r` adds when an auditor re-packs an unzipped bundle.
    expect(verifyEvidenceBundle(packBundle({ ...files, "records/": new Uint8Array(0), "derived/": new Uint8Array(0) })).ok).toBe(true);
  });

  it("flipping one byte in manifest.json breaks the signature", () => {
    expect(failure(flipByte(zip, "manifest.json"))).toMatch(/^manifest\.sig: signature does not verify over manifest\.json with key [0-9a-f]{16}/);
  });

  it("flipping one byte in manifest.sig breaks the signature", () => {
    expect(failure(flipByte(zip, "manifest.sig", 10))).toMatch(/^manifest\.sig: signature does not verify over manifest\.json/);
  });

  it("flipping one byte in signing-key.pub.pem is caught", () => {
    // Inside the base64 key body: a different (valid or invalid) key, either way not the signer.
    const pemText = Buffer.from(files["signing-key.pub.pem"]).toString("utf8");
    const at = pemText.indexOf("\n") + 20;
    expect(failure(flipByte(zip, "signing-key.pub.pem", at))).toMatch(/^(manifest\.sig: signature does not verify|signing-key\.pub\.pem: )/);
  });

  const hashedFiles = ["proofs.json", "derived/hops.json", "derived/hops.csv", "derived/timeline.json", "derived/timeline.csv", "report/report.html", "report/report.pdf"];
  it.each(hashedFiles)("flipping one byte in %s is a sha256 mismatch naming the file", (file) => {
    expect(failure(flipByte(zip, file))).toMatch(new RegExp(`^${esc(file)}: sha256 mismatch \\(expected ${HEX}, got ${HEX}\\)$`));
  });

  it("flipping one byte in a record is a sha256 mismatch naming the record", () => {
    expect(failure(flipByte(zip, recordFiles[2]))).toMatch(new RegExp(`^${esc(recordFiles[2])}: sha256 mismatch \\(expected ${HEX}, got ${HEX}\\)$`));
  });

  it("flipping one byte in SHA256SUMS names the line", () => {
    expect(failure(flipByte(zip, "SHA256SUMS", 5))).toMatch(/^SHA256SUMS: line 1: expected "[0-9a-f]{64} {2}\S+", got ".*"$/);
    expect(failure(flipByte(zip, "SHA256SUMS", Buffer.from(files["SHA256SUMS"]).length - 1))).toMatch(/^SHA256SUMS: line \d+: expected/);
  });

  it.each(["derived/hops.csv", "report/report.pdf", "proofs.json", "signing-key.pub.pem", "manifest.sig", "SHA256SUMS", "manifest.json"])("dropping %s fails as missing", (file) => {
    const f = { ...files };
    delete f[file];
    expect(failure(packBundle(f))).toBe(`${file}: missing from bundle`);
  });

  it("dropping a record fails as missing", () => {
    const f = { ...files };
    delete f[recordFiles[1]];
    expect(failure(packBundle(f))).toBe(`${recordFiles[1]}: missing from bundle`);
  });

  it("adding a file fails as extra", () => {
    expect(failure(packBundle({ ...files, "notes.txt": Buffer.from("hello") }))).toBe("notes.txt: extra file: not listed in the signed manifest");
    expect(failure(packBundle({ ...files, "records/999999999.json": Buffer.from("{}") }))).toBe("records/999999999.json: extra file: not listed in the signed manifest");
  });

  it("reordering records (swapping two files' contents) is caught at the first swapped file", () => {
    const f = { ...files, [recordFiles[0]]: files[recordFiles[1]], [recordFiles[1]]: files[recordFiles[0]] };
    expect(failure(packBundle(f))).toMatch(new RegExp(`^${esc(recordFiles[0])}: sha256 mismatch \\(expected ${HEX}, got ${HEX}\\)$`));
  });

  it("a signature by another key fails; re-signing with another key fails the manifest's key id, and the pin", () => {
    const other = attackerKey();
    const swappedSig = packBundle({ ...files, "manifest.sig": signBytes(other, files["manifest.json"]) });
    expect(failure(swappedSig)).toMatch(/^manifest\.sig: signature does not verify over manifest\.json/);

    const swappedKeyAndSig = packBundle({ ...files, "manifest.sig": signBytes(other, files["manifest.json"]), "signing-key.pub.pem": Buffer.from(publicKeyOfPrivate(other).publicKeyPem) });
    expect(failure(swappedKeyAndSig)).toMatch(/^manifest\.json: names signing key [0-9a-f]{16} but the bundle was signed with [0-9a-f]{16}$/);

    // A consistent forgery under the attacker's own key is only caught by pinning the real key.
    const realPem = Buffer.from(files["signing-key.pub.pem"]).toString("utf8");
    const forged = resign(files, other, () => {});
    expect(verifyEvidenceBundle(forged).ok).toBe(true);
    expect(failure(forged, realPem)).toMatch(/^signing-key\.pub\.pem: bundle is signed with key [0-9a-f]{16} \(fingerprint [0-9a-f]{64}\), not the pinned key/);
  });

  it("an insider with the real key who alters a record cannot make its inclusion proof reach the checkpoint", () => {
    const m = JSON.parse(Buffer.from(files["manifest.json"]).toString("utf8")) as EvidenceManifest;
    const realKey = readFileSync(path.join(keysDir, `${m.signingKey.keyId}.ed25519.pem`), "utf8");
    const target = recordFiles[1];
    const forged = resign(files, realKey, (f) => {
      // The classic cover-up: a denied (or any) decision rewritten to name someone else.
      const altered = Buffer.from(Buffer.from(f[target]).toString("utf8").replace("bob", "eve"));
      expect(altered.equals(Buffer.from(f[target]))).toBe(false);
      f[target] = altered;
      const proofs = JSON.parse(Buffer.from(f["proofs.json"]).toString("utf8"));
      const p = proofs.records.find((r: { file: string }) => r.file === target);
      p.rawSha256 = sha256Hex(altered);
      p.leafHash = leafHash(altered).toString("hex");
      f["proofs.json"] = Buffer.from(JSON.stringify(proofs));
    });
    expect(failure(forged)).toMatch(new RegExp(`^${esc(target)}: inclusion proof for leaf \\d+ does not lead to the checkpoint root ${HEX} \\(tree size \\d+\\)$`));

    // Leaving proofs.json alone instead: the record no longer matches its proven hash.
    const lazy = resign(files, realKey, (f) => {
      f[target] = Buffer.from(Buffer.from(f[target]).toString("utf8").replace("transfer", "refund"));
    });
    expect(failure(lazy)).toMatch(new RegExp(`^${esc(target)}: sha256 mismatch \\(expected ${HEX}, got ${HEX}\\)$`));

    // Moving the checkpoint root to fit an altered log: the checkpoint signature no longer verifies.
    const rerooted = resign(files, realKey, (_f, man) => {
      man.checkpoint = { ...man.checkpoint, rootHash: "0".repeat(64) };
    });
    expect(failure(rerooted)).toMatch(/^manifest\.json: checkpoint signature \(tree size \d+, root 0{64}\) does not verify with key [0-9a-f]{16}$/);
  });

  it("a file that is not a zip fails as unreadable", () => {
    expect(failure(new Uint8Array(Buffer.from("not a zip")))).toMatch(/^bundle: not a readable zip file/);
  });
});
