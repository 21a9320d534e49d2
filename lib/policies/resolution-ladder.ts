// The order in which a record's references identify the policy version in force (cerbos.md §1.5):
// the live revision (policySource git hash / hub bundle) first, then the per-policy commit_hash
// (stale after a live update, so only a fallback), then OPA bundle revisions, and last the commit
// that preceded the decision in time (an inference, flagged as such). Shared by the database
// resolver and `replay --git`, which differ only in where they look refs and times up.
import type { RecordPolicyRefs } from "./record-refs.ts";
import type { ResolvedBy } from "./types.ts";

export interface ResolutionLookups<T> {
  /** The item a revision names; `bundle` is the OPA bundle name for bundle revisions. */
  byRef(ref: string, kind: "policySource" | "commit_hash" | "bundle_revision", bundle?: string): Promise<T | undefined>;
  /** The newest item committed at or before `at`. */
  byTime(at: Date): Promise<T | undefined>;
}

export interface LadderResult<T> {
  value: T;
  resolvedBy: ResolvedBy;
  inferred: boolean;
}

export async function climbResolutionLadder<T>(refs: RecordPolicyRefs, decidedAt: Date, lookups: ResolutionLookups<T>): Promise<LadderResult<T> | null> {
  if (refs.liveRef) {
    const value = await lookups.byRef(refs.liveRef, "policySource");
    if (value !== undefined) return { value, resolvedBy: "policySource", inferred: false };
  }
  for (const hash of refs.commitHashes) {
    const value = await lookups.byRef(hash, "commit_hash");
    if (value !== undefined) return { value, resolvedBy: "commit_hash", inferred: false };
  }
  for (const { bundle, revision } of refs.bundleRevisions) {
    const value = await lookups.byRef(revision, "bundle_revision", bundle);
    if (value !== undefined) return { value, resolvedBy: "bundle_revision", inferred: false };
  }
  if (Number.isNaN(decidedAt.getTime())) return null;
  const value = await lookups.byTime(decidedAt);
  return value === undefined ? null : { value, resolvedBy: "time", inferred: true };
}
