// Parent/child relations between hops that need no shared id (reference §1.11): token lineage
// (the child's actor chain is the parent's plus one actor, same root subject and issuer, issued no
// earlier), W3C span parentage, and Txn-Token `req_wl` path extension.

import type { CorrelationHop } from "./types.ts";

/** The root identity a chain hangs from: iss + human (or token subject when no human). */
export function lineageRoot(hop: CorrelationHop): string | null {
  const f = hop.facts;
  const sub = f.initiatingHuman?.id ?? (f.subject?.source === "jwt.sub" ? f.subject.id : null);
  if (!sub) return null;
  return `${f.token?.iss ?? f.initiatingHuman?.iss ?? ""}|${sub}`;
}

function chainKey(hop: CorrelationHop, length = hop.facts.actorChain.length): string {
  return hop.facts.actorChain
    .slice(0, length)
    .map((a) => a.id)
    .join(">");
}

// Chains that record delegation. A chain made up from the PDP principal alone (no act, no
// attribute chain) says nothing about who delegated, so it cannot extend another hop's chain.
const DELEGATING_SOURCES = new Set(["act", "delegation_chain", "on_behalf_of", "client"]);

function iatMs(hop: CorrelationHop): number | null {
  const iat = hop.facts.token?.iat;
  if (!iat) return null;
  const t = Date.parse(iat);
  return Number.isNaN(t) ? null : t;
}

/**
 * Index for lineage lookups over hops sorted by decision time: for a child, its parent is the
 * latest earlier hop with the same root whose chain is the child's chain minus its last actor.
 */
export class LineageIndex {
  private readonly byKey = new Map<string, Array<{ hop: CorrelationHop; order: number }>>();

  constructor(sortedHops: readonly CorrelationHop[]) {
    sortedHops.forEach((hop, order) => {
      const root = lineageRoot(hop);
      if (root === null) return;
      const key = `${root}#${chainKey(hop)}`;
      const list = this.byKey.get(key) ?? [];
      list.push({ hop, order });
      this.byKey.set(key, list);
    });
  }

  parentOf(child: CorrelationHop, childOrder: number, accept: (candidate: CorrelationHop) => boolean = () => true): CorrelationHop | null {
    const chain = child.facts.actorChain;
    if (chain.length === 0 || !DELEGATING_SOURCES.has(child.facts.chainSource)) return null;
    const root = lineageRoot(child);
    if (root === null) return null;
    const candidates = this.byKey.get(`${root}#${chainKey(child, chain.length - 1)}`) ?? [];
    const childIat = iatMs(child);
    for (let i = candidates.length - 1; i >= 0; i--) {
      const { hop, order } = candidates[i];
      if (order >= childOrder || !accept(hop)) continue;
      const parentIat = iatMs(hop);
      if (childIat !== null && parentIat !== null && childIat < parentIat) continue;
      return hop;
    }
    return null;
  }
}

/** Latest earlier hop whose span is this hop's parent span (same trace when both are known). */
export function spanParent(child: CorrelationHop, earlier: readonly CorrelationHop[]): CorrelationHop | null {
  const { parentSpanId, traceId } = child.facts.trace;
  if (!parentSpanId) return null;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const t = earlier[i].facts.trace;
    if (t.spanId === parentSpanId && (traceId === null || t.traceId === null || t.traceId === traceId)) return earlier[i];
  }
  return null;
}

/** Latest earlier hop of the same transaction whose `req_wl` path this hop's path extends. */
export function reqWlParent(child: CorrelationHop, earlier: readonly CorrelationHop[]): CorrelationHop | null {
  const txn = child.facts.txn;
  if (!txn || txn.reqWl.length < 2) return null;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const p = earlier[i].facts.txn;
    if (!p || p.txn !== txn.txn || p.reqWl.length === 0 || p.reqWl.length >= txn.reqWl.length) continue;
    if (p.reqWl.every((w, j) => txn.reqWl[j] === w)) return earlier[i];
  }
  return null;
}
