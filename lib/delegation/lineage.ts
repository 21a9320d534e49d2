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

/**
 * Span and `req_wl` parents, found incrementally: feed hops in decision-time order, asking for a
 * hop's parent before adding it, so each lookup is a map access rather than a scan.
 */
export class ParentFinder {
  private readonly bySpan = new Map<string, CorrelationHop[]>();
  private readonly byReqWlPath = new Map<string, CorrelationHop>();

  /** Latest earlier hop whose span is this hop's parent span (same trace when both are known). */
  spanParent(child: CorrelationHop): CorrelationHop | null {
    const { parentSpanId, traceId } = child.facts.trace;
    if (!parentSpanId) return null;
    const list = this.bySpan.get(parentSpanId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const t = list[i].facts.trace;
      if (traceId === null || t.traceId === null || t.traceId === traceId) return list[i];
    }
    return null;
  }

  /** Latest earlier hop of the same transaction whose `req_wl` path is the longest prefix of this hop's. */
  reqWlParent(child: CorrelationHop): CorrelationHop | null {
    const txn = child.facts.txn;
    if (!txn || txn.reqWl.length < 2) return null;
    for (let length = txn.reqWl.length - 1; length >= 1; length--) {
      const parent = this.byReqWlPath.get(reqWlKey(txn.txn, txn.reqWl, length));
      if (parent) return parent;
    }
    return null;
  }

  add(hop: CorrelationHop): void {
    const span = hop.facts.trace.spanId;
    if (span) {
      const list = this.bySpan.get(span) ?? [];
      list.push(hop);
      this.bySpan.set(span, list);
    }
    const txn = hop.facts.txn;
    if (txn && txn.reqWl.length) this.byReqWlPath.set(reqWlKey(txn.txn, txn.reqWl, txn.reqWl.length), hop);
  }
}

function reqWlKey(txn: string, reqWl: readonly string[], length: number): string {
  return `${txn}\u0000${reqWl.slice(0, length).join("\u0001")}`;
}
