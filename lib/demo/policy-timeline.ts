// Policy history over the demo span. Cerbos reads policies from a git store (three commits);
// OPA loads an "agents-authz" bundle whose revision changes twice, plus a static "common" bundle.
// v2 of the Cerbos policies (and r41/r42 of the bundle) carry the bug behind the demo incident:
// a sub-agent's permissions are checked against its own token scopes, not capped by its parent's.

import { hex } from "./ids.ts";
import type { Rng } from "./prng.ts";

export interface CerbosPolicyVersion {
  /** 1-based policy generation. */
  version: 1 | 2 | 3;
  hash: string;
  message: string;
  fromMs: number;
}

export interface OpaBundleRevision {
  /** The bundle's generation: its Rego lives in lib/demo/bundles/r<generation>. */
  generation: 41 | 42 | 43;
  revision: string;
  /** Whether the bundle caps sub-agent scopes by their parent's (fixed in the last revision); descriptive, the Rego decides. */
  attenuates: boolean;
  fromMs: number;
}

export interface PolicyTimeline {
  cerbos: CerbosPolicyVersion[];
  opa: OpaBundleRevision[];
  commonRevision: string;
}

export function buildPolicyTimeline(rng: Rng, startMs: number, spanMs: number): PolicyTimeline {
  // Whole seconds: git commit times have second resolution, and a repository written from this
  // timeline (write-git-repo.ts) must switch versions at exactly the same instants.
  const at = (fraction: number) => Math.floor((startMs + spanMs * fraction) / 1000) * 1000;
  const cerbos: CerbosPolicyVersion[] = [
    { version: 1, hash: hex(rng, 40), message: "Initial agent delegation policies", fromMs: startMs - 86_400_000 },
    { version: 2, hash: hex(rng, 40), message: "Let sub-agents approve payments within their delegated scope", fromMs: at(0.35) },
    { version: 3, hash: hex(rng, 40), message: "Cap sub-agent scopes by the parent's; agent payment limit 10k", fromMs: at(0.75) },
  ];
  const rev = (n: OpaBundleRevision["generation"]) => ({ generation: n, revision: `agents-authz-${n}-${hex(rng, 12)}` });
  const opa: OpaBundleRevision[] = [
    { ...rev(41), attenuates: false, fromMs: startMs - 86_400_000 },
    { ...rev(42), attenuates: false, fromMs: at(0.2) },
    { ...rev(43), attenuates: true, fromMs: at(0.75) + 120_000 },
  ];
  return { cerbos, opa, commonRevision: `common-${hex(rng, 12)}` };
}

/** A commit of a real policy repository standing in for a timeline version (oldest first). */
export interface PolicyCommitRef {
  hash: string;
  committedAt: Date;
}

/**
 * Puts real commits (e.g. from writeDemoGitRepo) in place of the timeline's random hashes, so the
 * records name commits that exist. Their times become the switch times, which leaves the records
 * unchanged (except the hashes) when the repository was written from the same timeline.
 */
export function withPolicyCommits(timeline: PolicyTimeline, commits: readonly PolicyCommitRef[]): PolicyTimeline {
  if (commits.length !== timeline.cerbos.length) {
    throw new Error(`policyCommits: expected ${timeline.cerbos.length} commits (one per demo policy version), got ${commits.length}`);
  }
  const cerbos = timeline.cerbos.map((v, i) => ({ ...v, hash: commits[i].hash, fromMs: commits[i].committedAt.getTime() }));
  for (let i = 1; i < cerbos.length; i++) {
    if (cerbos[i].fromMs < cerbos[i - 1].fromMs) throw new Error("policyCommits must be in commit order, oldest first");
  }
  return { ...timeline, cerbos };
}

function latestBefore<T extends { fromMs: number }>(items: readonly T[], ms: number): T {
  let current = items[0];
  for (const item of items) if (item.fromMs <= ms) current = item;
  return current;
}

export function cerbosVersionAt(timeline: PolicyTimeline, ms: number): CerbosPolicyVersion {
  return latestBefore(timeline.cerbos, ms);
}

export function opaRevisionAt(timeline: PolicyTimeline, ms: number): OpaBundleRevision {
  return latestBefore(timeline.opa, ms);
}
