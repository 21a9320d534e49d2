// Policy history over the demo span. Cerbos reads policies from a git store (three commits);
// OPA loads an "agents-authz" bundle whose revision changes twice, plus a static "common" bundle.
// v2 of the Cerbos policies (and r2 of the bundle) carries the bug behind the demo incident:
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
  revision: string;
  /** Whether the bundle caps sub-agent scopes by their parent's (fixed in the last revision). */
  attenuates: boolean;
  fromMs: number;
}

export interface PolicyTimeline {
  cerbos: CerbosPolicyVersion[];
  opa: OpaBundleRevision[];
  commonRevision: string;
}

export function buildPolicyTimeline(rng: Rng, startMs: number, spanMs: number): PolicyTimeline {
  const at = (fraction: number) => startMs + Math.floor(spanMs * fraction);
  const cerbos: CerbosPolicyVersion[] = [
    { version: 1, hash: hex(rng, 40), message: "Initial agent delegation policies", fromMs: startMs - 86_400_000 },
    { version: 2, hash: hex(rng, 40), message: "Let sub-agents approve payments within their delegated scope", fromMs: at(0.35) },
    { version: 3, hash: hex(rng, 40), message: "Cap sub-agent scopes by the parent's; agent payment limit 10k", fromMs: at(0.75) },
  ];
  const rev = (n: number) => `agents-authz-${n}-${hex(rng, 12)}`;
  const opa: OpaBundleRevision[] = [
    { revision: rev(41), attenuates: false, fromMs: startMs - 86_400_000 },
    { revision: rev(42), attenuates: false, fromMs: at(0.2) },
    { revision: rev(43), attenuates: true, fromMs: at(0.75) + 120_000 },
  ];
  return { cerbos, opa, commonRevision: `common-${hex(rng, 12)}` };
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
