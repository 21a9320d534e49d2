// The offline verifier: no database, no network, only the bundle (and optionally a pinned public key).
// It is the trusted computing base of the evidence story, so it stays small and checks in a fixed order,
// stopping at the first failure with a message that names the file and what differs.
import { unzipSync } from "fflate";
import { z } from "zod";
import { leafHash, verifyInclusion } from "../ingest/merkle.ts";
import * as L from "./bundle-layout.ts";
import { verifyCheckpointSignature } from "./checkpoint-note.ts";
import { describePublicKey, type PublicKeyInfo, verifyBytes } from "./key-material.ts";

export interface VerifyOptions {
  /** PEM of the public key the bundle must be signed with (published out of band). */
  pinnedKeyPem?: string;
}

export interface VerifyOutcome {
  ok: boolean;
  /** "<file>: <what is wrong>" for the first failed check. */
  failure?: string;
  /** One line per passed check, in order. */
  passed: string[];
}

class VerifyFailure extends Error {}
const fail = (file: string, message: string): never => {
  throw new VerifyFailure(`${file}: ${message}`);
};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const manifestSchema = z.object({
  schema: z.literal(L.MANIFEST_SCHEMA),
  bundleId: z.string(),
  exportedAt: z.string(),
  exporter: z.object({ actor: z.string(), origin: z.string() }),
  reason: z.string(),
  scope: z.object({ description: z.string() }),
  counts: z.object({ records: z.number().int(), hops: z.number().int() }),
  signingKey: z.object({ keyId: z.string(), fingerprint: hex64 }),
  checkpoint: z.object({
    origin: z.string(),
    treeSize: z.number().int().nonnegative(),
    rootHash: hex64,
    signature: z.string(),
    keyId: z.string(),
    keyFingerprint: hex64,
    publicKeyPem: z.string(),
  }),
  files: z.array(z.object({ path: z.string(), sha256: hex64, bytes: z.number().int().nonnegative() })),
  gaps: z.object({ timeGaps: z.array(z.unknown()), conflicts: z.array(z.unknown()) }).passthrough(),
  masking: z
    .object({ mode: z.enum(["masked", "sensitive-included"]), withheldRecords: z.number().int().nonnegative(), reason: z.string().nullable() })
    .passthrough()
    .optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

const proofsSchema = z.object({
  algorithm: z.literal("RFC9162-SHA256"),
  checkpoint: z.object({ origin: z.string(), treeSize: z.number().int(), rootHash: hex64 }),
  records: z.array(
    z
      .object({
        file: z.string().optional(),
        withheld: z.literal(true).optional(),
        maskedFile: z.string().optional(),
        maskedPaths: z.array(z.string()).optional(),
        leafIndex: z.number().int().nonnegative(),
        leafHash: hex64,
        rawSha256: hex64,
        inclusionProof: z.array(hex64),
      })
      .refine((r) => (r.withheld ? r.file === undefined && r.maskedFile !== undefined : r.file !== undefined && r.maskedFile === undefined), {
        message: "names either its file, or withheld: true with its maskedFile",
      }),
  ),
});

function parseJson<T>(file: string, bytes: Uint8Array, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    return fail(file, `not valid JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return fail(file, `malformed: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }
  return result.data;
}

function unzip(zip: Uint8Array): Map<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (err) {
    return fail("bundle", `not a readable zip file (${(err as Error).message})`);
  }
  // Directory entries carry no content; `zip -r` adds them when an auditor re-packs an unzipped bundle.
  return new Map(Object.entries(entries).filter(([name, data]) => !(name.endsWith("/") && data.byteLength === 0)));
}

function need(files: Map<string, Uint8Array>, path: string): Uint8Array {
  return files.get(path) ?? fail(path, "missing from bundle");
}

function checkKeyAndSignature(files: Map<string, Uint8Array>, opts: VerifyOptions, passed: string[]): PublicKeyInfo {
  const pemBytes = need(files, L.PUBLIC_KEY);
  let key: PublicKeyInfo;
  try {
    key = describePublicKey(Buffer.from(pemBytes).toString("utf8"));
  } catch (err) {
    return fail(L.PUBLIC_KEY, (err as Error).message);
  }
  if (opts.pinnedKeyPem !== undefined) {
    let pinned: PublicKeyInfo;
    try {
      pinned = describePublicKey(opts.pinnedKeyPem);
    } catch (err) {
      return fail("--key", (err as Error).message);
    }
    if (pinned.fingerprint !== key.fingerprint) {
      fail(L.PUBLIC_KEY, `bundle is signed with key ${key.keyId} (fingerprint ${key.fingerprint}), not the pinned key ${pinned.keyId} (fingerprint ${pinned.fingerprint})`);
    }
  }
  const manifestBytes = need(files, L.MANIFEST);
  const sig = need(files, L.MANIFEST_SIG);
  if (sig.byteLength !== 64) fail(L.MANIFEST_SIG, `an Ed25519 signature is 64 bytes, this one is ${sig.byteLength}`);
  if (!verifyBytes(key.publicKeyPem, manifestBytes, sig)) {
    fail(L.MANIFEST_SIG, `signature does not verify over manifest.json with key ${key.keyId}: manifest.json or manifest.sig was altered, or another key signed it`);
  }
  passed.push(`signature: manifest.json signed by key ${key.keyId}, fingerprint ${key.fingerprint} (${opts.pinnedKeyPem !== undefined ? "matches the pinned key" : "key taken from the bundle, NOT pinned: compare the fingerprint with the published one or pass --key"})`);
  return key;
}

function checkFiles(files: Map<string, Uint8Array>, manifest: Manifest, passed: string[]): void {
  for (const entry of [...manifest.files].sort(L.byPath)) {
    const data = need(files, entry.path);
    const got = L.sha256Hex(data);
    if (got !== entry.sha256) fail(entry.path, `sha256 mismatch (expected ${entry.sha256}, got ${got})`);
    if (data.byteLength !== entry.bytes) fail(entry.path, `size mismatch (expected ${entry.bytes} bytes, got ${data.byteLength})`);
  }
  const known = new Set([...manifest.files.map((f) => f.path), L.MANIFEST, L.MANIFEST_SIG, L.SHA256SUMS]);
  for (const path of [...files.keys()].sort()) if (!known.has(path)) fail(path, "extra file: not listed in the signed manifest");

  // SHA256SUMS is not signed itself: it must say exactly what the signed manifest says, line by line.
  const expected = L.formatSha256Sums([...manifest.files, L.describeFile(L.MANIFEST, files.get(L.MANIFEST)!)]).split("\n");
  const actual = Buffer.from(need(files, L.SHA256SUMS)).toString("utf8").split("\n");
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] !== actual[i]) {
      fail(L.SHA256SUMS, `line ${i + 1}: expected ${JSON.stringify(expected[i] ?? "(end of file)")}, got ${JSON.stringify(actual[i] ?? "(end of file)")}`);
    }
  }
  passed.push(`files: ${files.size} files; every SHA-256 matches the signed manifest and SHA256SUMS; no file missing or extra`);
}

function checkCheckpoint(manifest: Manifest, passed: string[]): void {
  const cp = manifest.checkpoint;
  let key: PublicKeyInfo;
  try {
    key = describePublicKey(cp.publicKeyPem);
  } catch (err) {
    return fail(L.MANIFEST, `checkpoint public key: ${(err as Error).message}`);
  }
  if (key.keyId !== cp.keyId || key.fingerprint !== cp.keyFingerprint) fail(L.MANIFEST, `checkpoint names key ${cp.keyId} but carries the public key ${key.keyId}`);
  if (!verifyCheckpointSignature(key.publicKeyPem, cp)) fail(L.MANIFEST, `checkpoint signature (tree size ${cp.treeSize}, root ${cp.rootHash}) does not verify with key ${cp.keyId}`);
  passed.push(`checkpoint: ${cp.origin} tree size ${cp.treeSize}, root ${cp.rootHash}, signature valid (key ${cp.keyId})`);
}

function checkRecords(files: Map<string, Uint8Array>, manifest: Manifest, passed: string[]): number {
  const proofs = parseJson(L.PROOFS, need(files, L.PROOFS), proofsSchema);
  const cp = manifest.checkpoint;
  if (proofs.checkpoint.treeSize !== cp.treeSize || proofs.checkpoint.rootHash !== cp.rootHash || proofs.checkpoint.origin !== cp.origin) {
    fail(L.PROOFS, `proofs are against tree size ${proofs.checkpoint.treeSize} root ${proofs.checkpoint.rootHash}, the manifest's checkpoint is tree size ${cp.treeSize} root ${cp.rootHash}`);
  }
  const root = Buffer.from(cp.rootHash, "hex");
  const seen = new Set<string>();
  const leaves = new Set<number>();
  let withheld = 0;
  for (const p of proofs.records) {
    if (leaves.has(p.leafIndex)) fail(L.PROOFS, `lists leaf ${p.leafIndex} twice`);
    leaves.add(p.leafIndex);
    const padded = String(p.leafIndex).padStart(9, "0");
    if (p.withheld) {
      // A sensitive record withheld from a masked bundle: its leaf hash is proven against the root; its
      // masked copy is covered by the signed manifest only (masking changes bytes, so no proof can cover it).
      const masked = p.maskedFile!;
      if (!masked.startsWith(`${L.RECORDS_MASKED_PREFIX}${padded}.`)) fail(masked, `file name does not match its leaf index ${p.leafIndex} in proofs.json`);
      if (seen.has(masked)) fail(L.PROOFS, `lists ${masked} twice`);
      seen.add(masked);
      need(files, masked);
      const leaf = Buffer.from(p.leafHash, "hex");
      const proof = p.inclusionProof.map((h) => Buffer.from(h, "hex"));
      if (!verifyInclusion(p.leafIndex, cp.treeSize, leaf, proof, root)) {
        fail(masked, `inclusion proof for withheld leaf ${p.leafIndex} (leaf hash ${p.leafHash}) does not lead to the checkpoint root ${cp.rootHash} (tree size ${cp.treeSize})`);
      }
      withheld++;
      continue;
    }
    const file = p.file!;
    const expectedPrefix = `records/${padded}.`;
    if (!file.startsWith(expectedPrefix)) fail(file, `file name does not match its leaf index ${p.leafIndex} in proofs.json`);
    if (seen.has(file)) fail(L.PROOFS, `lists ${file} twice`);
    seen.add(file);
    const raw = Buffer.from(need(files, file));
    const sha = L.sha256Hex(raw);
    if (sha !== p.rawSha256) fail(file, `sha256 mismatch (expected ${p.rawSha256}, got ${sha})`);
    const leaf = leafHash(raw);
    if (leaf.toString("hex") !== p.leafHash) fail(file, `leaf hash mismatch (expected ${p.leafHash}, got ${leaf.toString("hex")})`);
    const proof = p.inclusionProof.map((h) => Buffer.from(h, "hex"));
    if (!verifyInclusion(p.leafIndex, cp.treeSize, leaf, proof, root)) {
      fail(file, `inclusion proof for leaf ${p.leafIndex} does not lead to the checkpoint root ${cp.rootHash} (tree size ${cp.treeSize})`);
    }
  }
  for (const path of [...files.keys()].sort()) {
    if (path.startsWith("records/") && !seen.has(path)) fail(path, "record has no inclusion proof in proofs.json");
    if (path.startsWith(L.RECORDS_MASKED_PREFIX) && !seen.has(path)) fail(path, "masked copy of no withheld record in proofs.json");
  }
  if (proofs.records.length !== manifest.counts.records) fail(L.MANIFEST, `counts.records says ${manifest.counts.records} but the bundle proves ${proofs.records.length} records`);
  const declared = manifest.masking?.withheldRecords ?? 0;
  if (declared !== withheld) fail(L.MANIFEST, `masking.withheldRecords says ${declared} but proofs.json withholds ${withheld} records`);
  if (withheld === 0) {
    passed.push(`records: ${proofs.records.length}/${manifest.counts.records} records valid (SHA-256, RFC 9162 leaf hash, inclusion proof to the checkpoint root)`);
  } else {
    const full = proofs.records.length - withheld;
    passed.push(
      `records: ${full}/${manifest.counts.records} records valid from their bytes (SHA-256, RFC 9162 leaf hash, inclusion proof); ${withheld} withheld as sensitive, their leaf hashes proven to the checkpoint root (masked copies in ${L.RECORDS_MASKED_PREFIX} are covered by the signature, not by the proofs)`,
    );
  }
  return proofs.records.length;
}

function checkDerivedCounts(files: Map<string, Uint8Array>, manifest: Manifest, passed: string[]): void {
  const hops = parseJson(L.HOPS_JSON, need(files, L.HOPS_JSON), z.array(z.object({ leafIndex: z.number().int() }).passthrough()));
  if (hops.length !== manifest.counts.hops) fail(L.HOPS_JSON, `holds ${hops.length} decisions, counts.hops in the manifest says ${manifest.counts.hops}`);
  passed.push(`counts: ${manifest.counts.records} records and ${manifest.counts.hops} decisions reconcile with the manifest`);
}

/** Verifies a bundle; never throws for a bad bundle, only reports. */
export function verifyEvidenceBundle(zip: Uint8Array, opts: VerifyOptions = {}): VerifyOutcome {
  const passed: string[] = [];
  try {
    const files = unzip(zip);
    checkKeyAndSignature(files, opts, passed);
    const manifest = parseJson(L.MANIFEST, files.get(L.MANIFEST)!, manifestSchema);
    const key = describePublicKey(Buffer.from(files.get(L.PUBLIC_KEY)!).toString("utf8"));
    if (manifest.signingKey.fingerprint !== key.fingerprint) fail(L.MANIFEST, `names signing key ${manifest.signingKey.keyId} but the bundle was signed with ${key.keyId}`);
    checkFiles(files, manifest, passed);
    checkCheckpoint(manifest, passed);
    checkRecords(files, manifest, passed);
    checkDerivedCounts(files, manifest, passed);
    passed.push(`scope: ${manifest.scope.description}`);
    passed.push(`exported: ${manifest.exportedAt} by ${manifest.exporter.actor} (${manifest.exporter.origin}), reason: ${JSON.stringify(manifest.reason)}`);
    if (manifest.masking) {
      passed.push(
        manifest.masking.mode === "masked"
          ? `sensitive data: masked (${manifest.masking.withheldRecords} record(s) withheld)`
          : `sensitive data: INCLUDED, reason: ${JSON.stringify(manifest.masking.reason)}`,
      );
    }
    passed.push(`gaps: ${manifest.gaps.timeGaps.length} PDP silence(s) over threshold, ${manifest.gaps.conflicts.length} conflicting record(s) (as the exporter reported them)`);
    return { ok: true, passed };
  } catch (err) {
    if (err instanceof VerifyFailure) return { ok: false, failure: err.message, passed };
    return { ok: false, failure: `bundle: verification stopped: ${(err as Error).message}`, passed };
  }
}
