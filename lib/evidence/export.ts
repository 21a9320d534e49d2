// exportEvidence: one call that pins the log (signed checkpoint), selects the scope, proves every record
// against the checkpoint, renders the derived views and reports, signs the manifest, zips it all and
// records the export in the audit trail. The CLI and the route handler both call this. Bundles are masked
// by default (lib/evidence/masking.ts: records holding sensitive values are withheld, proven by leaf
// hash); includeSensitive with a reason ships every raw record and unmasked tables.
import { randomUUID } from "node:crypto";
import { zipSync, type Zippable } from "fflate";
import type pg from "pg";
import pkg from "../../package.json" with { type: "json" };
import { leafHash, verifyInclusion } from "../ingest/merkle.ts";
import { recordAuditEvent } from "../audit/trail.ts";
import * as L from "./bundle-layout.ts";
import { checkpointCurrentTree } from "./checkpoint.ts";
import { collectScope, DEFAULT_MAX_RECORDS, type EvidenceRecord, MAX_RECORDS_PER_BUNDLE } from "./collect.ts";
import { DEFAULT_GAP_THRESHOLD_SECONDS, detectGaps } from "./gaps.ts";
import { signBytes } from "./key-material.ts";
import { countPopulation, type EvidenceManifest, observedRange, policyVersionsInvolved, serializeManifest } from "./manifest.ts";
import { inclusionProofs } from "./proofs.ts";
import { buildReportModel } from "./report-model.ts";
import { renderReportHtml } from "./report-html.ts";
import { renderReportPdf } from "./report-pdf.ts";
import { describeScope, parseEvidenceScope, scopeHops } from "./scope.ts";
import { activeSigningKey, defaultKeysDir } from "./signing-keys.ts";
import { buildTimeline, hopsCsv, recordFileName, timelineCsv } from "./tables.ts";
import { windowFromFilters } from "../trends/window.ts";
import { type ManifestMasking, maskPopulation } from "./masking.ts";
import type { RuleSet } from "../masking/rules.ts";
import { getSensitiveRules } from "../masking/settings.ts";

export interface ExportRequest {
  /** An EvidenceScope; validated here, so route handlers may pass parsed request JSON. */
  scope: unknown;
  /** Why the evidence is exported (required, kept in the manifest and the audit trail). */
  reason: string;
  /** Who: a user name, or "cli:<user>@<host>". */
  actor: string;
  /** From where: a client address, or "cli". */
  origin: string;
  /** The command line or request as the user wrote it, kept verbatim in the manifest. */
  commandLine?: string;
  /**
   * Ship every raw record and unmasked tables (default false: masked bundle). Needs sensitiveReason:
   * kept in the manifest and recorded in the audit trail as a sensitive.reveal.
   */
  includeSensitive?: boolean;
  sensitiveReason?: string;
  /** The masking rules (default: the rules in force, lib/masking/settings.ts). */
  masking?: { ruleSet: RuleSet; source: string };
  keysDir?: string;
  gapThresholdSeconds?: number;
  maxRecords?: number;
  /** Fixed clock and id for reproducible tests. */
  now?: Date;
  bundleId?: string;
}

export interface ExportResult {
  zip: Uint8Array;
  manifest: EvidenceManifest;
  manifestSha256: string;
  auditEventId: string;
}

const MAX_REASON = 2_000;
/** Same bar as a single reveal: the reason must say something an auditor can follow up. */
const MIN_SENSITIVE_REASON = 10;

function requireText(value: unknown, field: string, max: number): string {
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${field} is required`);
  if (value.length > max) throw new Error(`${field} must be at most ${max} characters`);
  return value.trim();
}

/** Stops before writing anything when the database disagrees with its own log: such a bundle would not verify. */
function checkStoredRecord(r: EvidenceRecord, proof: Buffer[], treeSize: number, root: Buffer): void {
  const sha = L.sha256Hex(r.rawBytes);
  if (sha !== r.rawSha256) throw new Error(`record at leaf ${r.leafIndex}: raw bytes hash to ${sha}, the database says ${r.rawSha256}: the stored record was altered`);
  const leaf = leafHash(r.rawBytes);
  if (leaf.toString("hex") !== r.leafHash) throw new Error(`record at leaf ${r.leafIndex}: leaf hash ${leaf.toString("hex")} differs from the stored ${r.leafHash}: the stored record was altered`);
  if (!verifyInclusion(r.leafIndex, treeSize, leaf, proof, root)) throw new Error(`record at leaf ${r.leafIndex}: inclusion proof does not reach the checkpoint root: the Merkle log was altered`);
}

export async function exportEvidence(pool: pg.Pool, req: ExportRequest): Promise<ExportResult> {
  const reason = requireText(req.reason, "reason", MAX_REASON);
  const actor = requireText(req.actor, "actor", 512);
  const origin = requireText(req.origin, "origin", 512);
  const scope = parseEvidenceScope(req.scope);
  const includeSensitive = req.includeSensitive === true;
  let sensitiveReason: string | null = null;
  if (includeSensitive) {
    sensitiveReason = requireText(req.sensitiveReason, "sensitiveReason", MAX_REASON);
    if (sensitiveReason.length < MIN_SENSITIVE_REASON) {
      throw new Error(`sensitiveReason must be at least ${MIN_SENSITIVE_REASON} characters: say why the bundle needs the raw, unmasked records (it is recorded)`);
    }
  } else if (req.sensitiveReason !== undefined && req.sensitiveReason !== "") {
    throw new Error("sensitiveReason is only taken together with includeSensitive");
  }
  const masking = req.masking ?? (await getSensitiveRules(pool));
  const gapThresholdSeconds = req.gapThresholdSeconds ?? DEFAULT_GAP_THRESHOLD_SECONDS;
  const maxRecords = req.maxRecords ?? DEFAULT_MAX_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > MAX_RECORDS_PER_BUNDLE) {
    throw new Error(`maxRecords must be a whole number from 1 to ${MAX_RECORDS_PER_BUNDLE} (a zip without ZIP64 holds at most 65,535 files)`);
  }
  const exportedAt = (req.now ?? new Date()).toISOString();
  const bundleId = req.bundleId ?? randomUUID();

  const key = await activeSigningKey(pool, req.keysDir ?? defaultKeysDir());
  const checkpoint = await checkpointCurrentTree(pool, key);
  const treeSize = checkpoint.treeSize;
  const query = scopeHops(scope, treeSize);
  const { records, hops, log } = await collectScope(pool, query, treeSize, maxRecords);
  // What people read: masked unless the exporter asked for sensitive data (proofs always use the real records).
  const shown = includeSensitive ? { records, hops, withheld: new Map<number, never>(), maskedValues: 0 } : maskPopulation(records, hops, masking.ruleSet);
  const maskingInfo: ManifestMasking = {
    mode: includeSensitive ? "sensitive-included" : "masked",
    rules: masking.ruleSet.texts,
    rulesSource: masking.source,
    reason: sensitiveReason,
    withheldRecords: shown.withheld.size,
    maskedValues: shown.maskedValues,
  };

  const root = Buffer.from(checkpoint.rootHash, "hex");
  const proofByLeaf = await inclusionProofs(pool, records.map((r) => r.leafIndex), treeSize);
  const fileOf = new Map(records.map((r) => [r.leafIndex, recordFileName(r)]));
  const proofs: L.ProofsFile = {
    algorithm: "RFC9162-SHA256",
    checkpoint: { origin: checkpoint.origin, treeSize, rootHash: checkpoint.rootHash },
    records: records.map((r): L.RecordProof => {
      const proof = proofByLeaf.get(r.leafIndex)!;
      checkStoredRecord(r, proof, treeSize, root);
      const hashes = { leafIndex: r.leafIndex, leafHash: r.leafHash, rawSha256: r.rawSha256, inclusionProof: proof.map((p) => p.toString("hex")) };
      const held = shown.withheld.get(r.leafIndex);
      return held ? { ...hashes, withheld: true, maskedFile: held.file, maskedPaths: held.maskedPaths } : { file: fileOf.get(r.leafIndex)!, ...hashes };
    }),
  };

  // The timeline names each record's file: the masked copy for a withheld record.
  const shownFileOf = new Map([...fileOf].map(([leaf, file]) => [leaf, shown.withheld.get(leaf)?.file ?? file]));
  const timeline = buildTimeline(shown.records, shown.hops, shownFileOf);
  const requested = query.timeRange;
  // The explorer's reading of the bounds (a date or minute as `to` includes all of it), exclusive end.
  const window = requested ? windowFromFilters({ from: requested.from ?? undefined, to: requested.to ?? undefined }, { from: new Date(NaN), to: new Date(NaN) }) : null;
  const bound = (d: Date | undefined) => (d && !Number.isNaN(d.getTime()) ? d : null);
  const manifestCore: Omit<EvidenceManifest, "files"> = {
    schema: L.MANIFEST_SCHEMA,
    bundleId,
    app: { name: pkg.name, version: pkg.version },
    exportedAt,
    exporter: { actor, origin },
    reason,
    scope: { requested: req.scope, normalized: scope, description: describeScope(scope), ...(req.commandLine ? { commandLine: req.commandLine } : {}) },
    query: { records: query.records, hops: query.hops },
    parameters: { gapThresholdSeconds, maxRecords, treeSize },
    timeRange: { requested, observed: observedRange(records) },
    counts: countPopulation(shown.records, shown.hops),
    gaps: detectGaps(shown.records, {
      thresholdSeconds: gapThresholdSeconds,
      treeSize,
      recordsInLog: log.recordsBelowTreeSize,
      range: window ? { from: bound(window.from), to: bound(window.to) } : null,
    }),
    policyVersions: policyVersionsInvolved(shown.hops),
    masking: maskingInfo,
    signingKey: { keyId: key.keyId, fingerprint: key.fingerprint, algorithm: "Ed25519", publicKeyFile: L.PUBLIC_KEY },
    checkpoint: {
      origin: checkpoint.origin,
      treeSize,
      rootHash: checkpoint.rootHash,
      signature: checkpoint.signature,
      keyId: checkpoint.keyId,
      keyFingerprint: checkpoint.publicKey.fingerprint,
      publicKeyPem: checkpoint.publicKey.publicKeyPem,
    },
  };

  const model = buildReportModel(manifestCore, shown.hops, timeline);
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
  const json = (v: unknown) => utf8(JSON.stringify(v, null, 2) + "\n");
  const files = new Map<string, Uint8Array>();
  for (const r of records) {
    const held = shown.withheld.get(r.leafIndex);
    if (held) files.set(held.file, utf8(held.text));
    else files.set(fileOf.get(r.leafIndex)!, new Uint8Array(r.rawBytes));
  }
  files.set(L.PROOFS, json(proofs));
  files.set(L.HOPS_JSON, json(shown.hops));
  files.set(L.HOPS_CSV, utf8(hopsCsv(shown.hops)));
  files.set(L.TIMELINE_JSON, json(timeline));
  files.set(L.TIMELINE_CSV, utf8(timelineCsv(timeline)));
  files.set(L.REPORT_HTML, utf8(renderReportHtml(model)));
  files.set(L.REPORT_PDF, await renderReportPdf(model));
  files.set(L.PUBLIC_KEY, utf8(key.publicKeyPem));

  const manifest: EvidenceManifest = { ...manifestCore, files: [...files.entries()].map(([p, d]) => L.describeFile(p, d)).sort(L.byPath) };
  const manifestBytes = serializeManifest(manifest);
  files.set(L.MANIFEST, manifestBytes);
  const sums = L.formatSha256Sums([...files.entries()].map(([p, d]) => L.describeFile(p, d)));
  files.set(L.SHA256SUMS, utf8(sums));
  files.set(L.MANIFEST_SIG, new Uint8Array(signBytes(key.privateKeyPem, manifestBytes)));

  // Sorted entries and a fixed timestamp (the export time): the zip depends only on its contents.
  const mtime = new Date(exportedAt);
  const zippable: Zippable = {};
  for (const p of [...files.keys()].sort()) zippable[p] = [files.get(p)!, { mtime, level: p.endsWith(".pdf") ? 0 : 6 }];
  const zip = zipSync(zippable);

  const manifestSha256 = L.sha256Hex(manifestBytes);
  // Recorded last, so the trail names exactly the bundle handed out (its manifest hash identifies it).
  const event = await recordAuditEvent(pool, {
    actor,
    action: "evidence.export",
    target: describeScope(scope),
    reason,
    origin,
    details: {
      bundleId,
      manifestSha256,
      scope,
      treeSize,
      rootHash: checkpoint.rootHash,
      keyId: key.keyId,
      records: records.length,
      hops: hops.length,
      masking: { mode: maskingInfo.mode, withheldRecords: maskingInfo.withheldRecords, ...(sensitiveReason ? { sensitiveReason } : {}) },
    },
  });
  if (includeSensitive) {
    // Handing out unmasked records is a reveal too: searchable next to the single-value reveals.
    await recordAuditEvent(pool, {
      actor,
      action: "sensitive.reveal",
      target: `evidence:${bundleId}`,
      reason: sensitiveReason,
      origin,
      details: { evidenceExport: event.id, bundleId, manifestSha256, scope, records: records.length },
    });
  }
  return { zip, manifest, manifestSha256, auditEventId: event.id };
}
