// manifest.json: the one file the signature covers. It says what was exported (scope as written and the
// SQL as executed), by whom, when and why, what the population looks like (counts, gaps, policy versions),
// which checkpoint the proofs lead to, and the SHA-256 of every other file, so signing it binds them all.
import { canonicalJson } from "../ingest/canonical.ts";
import type { FileEntry } from "./bundle-layout.ts";
import type { Checkpoint } from "./checkpoint-note.ts";
import type { EvidenceHop, EvidenceRecord } from "./collect.ts";
import type { GapReport } from "./gaps.ts";
import type { ManifestMasking } from "./masking.ts";
import type { EvidenceScope, SqlQuery } from "./scope.ts";

export interface EffectCounts {
  records: number;
  hops: number;
  allow: number;
  deny: number;
  other: number;
}

export interface PolicyVersionUse {
  /** policy_source_ref: git commit, bundle revision, … ("" when the record names none). */
  sourceRef: string;
  policyVersions: string[];
  policies: string[];
  hops: number;
  firstSeen: string;
  lastSeen: string;
}

export interface EvidenceManifest {
  schema: string;
  bundleId: string;
  app: { name: string; version: string };
  exportedAt: string;
  exporter: { actor: string; origin: string };
  reason: string;
  scope: { requested: unknown; normalized: EvidenceScope; description: string; commandLine?: string };
  query: { records: SqlQuery; hops: SqlQuery };
  parameters: { gapThresholdSeconds: number; maxRecords: number; treeSize: number };
  timeRange: { requested: { from: string | null; to: string | null } | null; observed: { first: string; last: string } | null };
  counts: {
    records: number;
    hops: number;
    conflicts: number;
    total: EffectCounts;
    byEngine: Record<string, EffectCounts>;
    byPdp: Record<string, Record<string, EffectCounts>>;
  };
  gaps: GapReport;
  policyVersions: PolicyVersionUse[];
  /** How sensitive data was handled (absent in bundles made before masking existed). */
  masking?: ManifestMasking;
  signingKey: { keyId: string; fingerprint: string; algorithm: "Ed25519"; publicKeyFile: string };
  checkpoint: Checkpoint & { keyFingerprint: string; publicKeyPem: string };
  files: FileEntry[];
}

const zero = (): EffectCounts => ({ records: 0, hops: 0, allow: 0, deny: 0, other: 0 });

function addHop(c: EffectCounts, effect: string): void {
  c.hops++;
  if (effect === "allow") c.allow++;
  else if (effect === "deny") c.deny++;
  else c.other++;
}

export function countPopulation(records: EvidenceRecord[], hops: EvidenceHop[]): EvidenceManifest["counts"] {
  const total = zero();
  const byEngine: Record<string, EffectCounts> = {};
  const byPdp: Record<string, Record<string, EffectCounts>> = {};
  const pdp = (engine: string, instance: string) => ((byPdp[engine] ??= {})[instance] ??= zero());
  for (const r of records) {
    total.records++;
    (byEngine[r.engine] ??= zero()).records++;
    pdp(r.engine, r.pdpInstance).records++;
  }
  for (const h of hops) {
    addHop(total, h.effect);
    addHop((byEngine[h.engine] ??= zero()), h.effect);
    addHop(pdp(h.engine, h.pdpInstance), h.effect);
  }
  return { records: records.length, hops: hops.length, conflicts: records.filter((r) => r.isConflict).length, total, byEngine, byPdp };
}

export function policyVersionsInvolved(hops: EvidenceHop[]): PolicyVersionUse[] {
  const byRef = new Map<string, { versions: Set<string>; policies: Set<string>; hops: number; first: string; last: string }>();
  for (const h of hops) {
    const ref = h.policySourceRef ?? "";
    const v = byRef.get(ref) ?? { versions: new Set<string>(), policies: new Set<string>(), hops: 0, first: h.decidedAt, last: h.decidedAt };
    if (h.policyVersion) v.versions.add(h.policyVersion);
    if (h.policy) v.policies.add(h.policy);
    v.hops++;
    if (h.decidedAt < v.first) v.first = h.decidedAt;
    if (h.decidedAt > v.last) v.last = h.decidedAt;
    byRef.set(ref, v);
  }
  return [...byRef.entries()]
    .map(([sourceRef, v]) => ({
      sourceRef,
      policyVersions: [...v.versions].sort(),
      policies: [...v.policies].sort(),
      hops: v.hops,
      firstSeen: v.first,
      lastSeen: v.last,
    }))
    .sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.sourceRef < b.sourceRef ? -1 : 1));
}

export function observedRange(records: EvidenceRecord[]): { first: string; last: string } | null {
  if (records.length === 0) return null;
  let first = records[0].decidedAt;
  let last = first;
  for (const r of records) {
    if (r.decidedAt < first) first = r.decidedAt;
    if (r.decidedAt > last) last = r.decidedAt;
  }
  return { first, last };
}

/** The exact bytes that are signed: canonical JSON (sorted keys, no whitespace) plus a final newline. */
export function serializeManifest(manifest: EvidenceManifest): Uint8Array {
  return Buffer.from(canonicalJson(manifest) + "\n", "utf8");
}
