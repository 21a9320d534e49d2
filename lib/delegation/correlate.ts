// Grouping hops into tasks with the evidence ladder of reference §1.11.
//
// Strong links (confidence ≥ 0.8: explicit task id 1.0, txn 0.95, trace id 0.9, token lineage
// 0.85, same token jti 0.8) are merged with union-find, strongest first (Kruskal), so each task's
// confidence is its weakest necessary link. Two groups carrying different explicit task ids are
// never merged: an explicit id outranks everything below it (one trace may hold several tasks).
//
// Time-window inference (0.3–0.6) runs afterwards on whole groups: a group is attached to the best
// earlier group with the same initiating human, an overlapping actor set, and a gap ≤ the window.
// Decision: inferred links JOIN the task (so the investigator sees one timeline) but stay visible:
// the joining edge is `sequence` with `inferred: true`, the evidence entry is marked inferred, the
// task's `inferred` is set and its confidence drops to the link's (min). Each group attaches through
// at most one inferred link, and never to a group with a different explicit task id or txn, so
// inference cannot fuse two identified tasks.

import { LineageIndex } from "./lineage.ts";
import { buildTask, type Link } from "./task-build.ts";
import type { CorrelationHop, CorrelationOptions, EvidenceKind, Task } from "./types.ts";

export const EVIDENCE_CONFIDENCE: Record<Exclude<EvidenceKind, "time_window">, number> = {
  explicit_task_id: 1,
  txn: 0.95,
  trace_id: 0.9,
  token_lineage: 0.85,
  jti_link: 0.8,
};

export const DEFAULT_TIME_WINDOW_MS = 5 * 60 * 1000;

/** Decision-time order; ties by hop id so results never depend on input (ingestion) order. */
export function byDecisionTime(a: CorrelationHop, b: CorrelationHop): number {
  return a.decidedAt.getTime() - b.decidedAt.getTime() || (a.hopId < b.hopId ? -1 : a.hopId > b.hopId ? 1 : 0);
}

interface Group {
  hops: number[];
  taskIds: Set<string>;
  txns: Set<string>;
  links: Link[];
}

class Groups {
  private readonly parent: number[];
  readonly data = new Map<number, Group>();

  constructor(hops: readonly CorrelationHop[]) {
    this.parent = hops.map((_, i) => i);
    hops.forEach((h, i) => {
      const txn = h.facts.txn?.txn;
      this.data.set(i, {
        hops: [i],
        taskIds: new Set(h.facts.taskId ? [h.facts.taskId] : []),
        txns: new Set(txn && txn !== "N_A" ? [txn] : []),
        links: [],
      });
    });
  }

  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }

  conflict(a: Group, b: Group, strictTxn: boolean): boolean {
    const disjoint = (x: Set<string>, y: Set<string>) => x.size > 0 && y.size > 0 && ![...x].some((v) => y.has(v));
    return disjoint(a.taskIds, b.taskIds) || (strictTxn && disjoint(a.txns, b.txns));
  }

  /** Merges the groups of link.a and link.b; false when already together or refused. */
  union(link: Link, strictTxn: boolean): boolean {
    const ra = this.find(link.a);
    const rb = this.find(link.b);
    if (ra === rb) return false;
    const ga = this.data.get(ra)!;
    const gb = this.data.get(rb)!;
    if (this.conflict(ga, gb, strictTxn)) return false;
    const [keep, drop] = ga.hops.length >= gb.hops.length ? [ra, rb] : [rb, ra];
    const gk = this.data.get(keep)!;
    const gd = this.data.get(drop)!;
    this.parent[drop] = keep;
    // Loops, not spread: a spread of a huge group would exceed the engine's argument limit.
    for (const i of gd.hops) gk.hops.push(i);
    for (const v of gd.taskIds) gk.taskIds.add(v);
    for (const v of gd.txns) gk.txns.add(v);
    for (const l of gd.links) gk.links.push(l);
    gk.links.push(link);
    this.data.delete(drop);
    return true;
  }
}

/** Links between consecutive carriers of the same value (a chain suffices for union-find). */
function sameValueLinks(hops: readonly CorrelationHop[], kind: Link["kind"], valueOf: (h: CorrelationHop) => string | null): Link[] {
  const last = new Map<string, number>();
  const links: Link[] = [];
  hops.forEach((h, i) => {
    const value = valueOf(h);
    if (value === null) return;
    const prev = last.get(value);
    if (prev !== undefined) links.push({ a: prev, b: i, kind, value, confidence: EVIDENCE_CONFIDENCE[kind as keyof typeof EVIDENCE_CONFIDENCE], inferred: false });
    last.set(value, i);
  });
  return links;
}

function strongLinks(hops: readonly CorrelationHop[]): Link[] {
  const lineage = new LineageIndex(hops);
  const order = new Map(hops.map((h, i) => [h.hopId, i]));
  const lineageLinks: Link[] = [];
  hops.forEach((h, i) => {
    const parent = lineage.parentOf(h, i);
    if (parent) lineageLinks.push({ a: order.get(parent.hopId)!, b: i, kind: "token_lineage", value: rootLabel(h), confidence: EVIDENCE_CONFIDENCE.token_lineage, inferred: false });
  });
  return [
    ...sameValueLinks(hops, "explicit_task_id", (h) => h.facts.taskId),
    ...sameValueLinks(hops, "txn", (h) => (h.facts.txn && h.facts.txn.txn !== "N_A" ? h.facts.txn.txn : null)),
    ...sameValueLinks(hops, "trace_id", (h) => h.facts.trace.traceId),
    ...lineageLinks,
    ...sameValueLinks(hops, "jti_link", (h) => (h.facts.token?.jti ? `${h.facts.token.iss ?? ""}|${h.facts.token.jti}` : null)),
  ].sort((x, y) => y.confidence - x.confidence);
}

function rootLabel(h: CorrelationHop): string {
  const f = h.facts;
  return `${f.token?.iss ? `${f.token.iss} ` : ""}${f.initiatingHuman?.id ?? f.subject?.id ?? "?"}`;
}

function actorIds(h: CorrelationHop): string[] {
  const human = h.facts.initiatingHuman?.id;
  return [...h.facts.actorChain.map((a) => a.id), h.facts.actingAgent.id].filter((id) => id !== human);
}

interface GroupSummary {
  root: number;
  first: number;
  last: number;
  humans: Set<string>;
  actors: Set<string>;
}

function summarize(groups: Groups, hops: readonly CorrelationHop[]): GroupSummary[] {
  return [...groups.data.entries()]
    .map(([root, g]) => {
      const sorted = [...g.hops].sort((a, b) => a - b);
      return {
        root,
        first: sorted[0],
        last: sorted[sorted.length - 1],
        humans: new Set(sorted.flatMap((i) => (hops[i].facts.initiatingHuman ? [hops[i].facts.initiatingHuman!.id] : []))),
        actors: new Set(sorted.flatMap((i) => actorIds(hops[i]))),
      };
    })
    .sort((a, b) => a.first - b.first);
}

/** 0.3 base, up to +0.2 for actor overlap (Jaccard) and +0.1 for closeness in time; capped at 0.6. */
export function timeWindowConfidence(overlap: number, gapMs: number, windowMs: number): number {
  const c = 0.3 + 0.2 * overlap + 0.1 * (1 - Math.min(gapMs, windowMs) / windowMs);
  return Math.round(Math.min(0.6, c) * 100) / 100;
}

function inferredLinks(groups: Groups, hops: readonly CorrelationHop[], windowMs: number): void {
  // Candidates are bucketed by human and pruned once they end before the window: groups are
  // visited by first decision time, so a stale candidate can only come back by absorbing a child.
  const byHuman = new Map<string, GroupSummary[]>();
  const register = (s: GroupSummary) => {
    for (const h of s.humans) {
      const bucket = byHuman.get(h) ?? [];
      if (!bucket.includes(s)) bucket.push(s);
      byHuman.set(h, bucket);
    }
  };
  for (const child of summarize(groups, hops)) {
    const childAt = hops[child.first].decidedAt.getTime();
    let best: { link: Link; gap: number; cand: GroupSummary } | null = null;
    if (child.actors.size > 0) {
      const childGroup = groups.data.get(groups.find(child.root))!;
      const seen = new Set<GroupSummary>();
      for (const human of child.humans) {
        const bucket = byHuman.get(human) ?? [];
        for (let k = bucket.length - 1; k >= 0; k--) {
          const cand = bucket[k];
          if (hops[cand.last].decidedAt.getTime() < childAt - windowMs) {
            bucket.splice(k, 1);
            continue;
          }
          if (seen.has(cand)) continue;
          seen.add(cand);
          const candGroup = groups.data.get(groups.find(cand.root))!;
          if (candGroup === childGroup || groups.conflict(childGroup, candGroup, true)) continue;
          const shared = [...child.actors].filter((a) => cand.actors.has(a)).length;
          if (shared === 0) continue;
          // The candidate's latest hop at or before the child's first hop is where the sequence continues.
          let anchor = -1;
          for (const i of candGroup.hops) if (i <= child.first && i > anchor) anchor = i;
          if (anchor < 0) continue;
          const gap = childAt - hops[anchor].decidedAt.getTime();
          if (gap > windowMs) continue;
          const overlap = shared / new Set([...child.actors, ...cand.actors]).size;
          const confidence = timeWindowConfidence(overlap, gap, windowMs);
          if (best && (confidence < best.link.confidence || (confidence === best.link.confidence && gap >= best.gap))) continue;
          const value = `${human} Δt=${Math.round(gap / 1000)}s`;
          best = { link: { a: anchor, b: child.first, kind: "time_window", value, confidence, inferred: true }, gap, cand };
        }
      }
    }
    if (best && groups.union(best.link, true)) {
      // Later groups compare against the merged group's people, actors and extent.
      const { cand } = best;
      for (const h of child.humans) cand.humans.add(h);
      for (const a of child.actors) cand.actors.add(a);
      cand.last = Math.max(cand.last, child.last);
      register(cand);
    } else register(child);
  }
}

/**
 * Groups hops into tasks, each with its evidence, parent/child edges and flags. Input order is
 * irrelevant: hops are ordered by decision time. Tasks come back ordered by their first decision.
 */
export function correlateTasks(input: readonly CorrelationHop[], options: CorrelationOptions = {}): Task[] {
  const hops = [...input].sort(byDecisionTime);
  const groups = new Groups(hops);
  for (const link of strongLinks(hops)) groups.union(link, false);
  inferredLinks(groups, hops, options.timeWindowMs ?? DEFAULT_TIME_WINDOW_MS);
  const hopsById = new Map(hops.map((h) => [h.hopId, h]));
  const usedKeys = new Set<string>();
  return [...groups.data.values()]
    .map((g) => ({ ...g, hops: [...g.hops].sort((a, b) => a - b) }))
    .sort((a, b) => a.hops[0] - b.hops[0])
    .map((g) => buildTask(g.hops.map((i) => hops[i]), g.links.map((l) => ({ ...l, aHop: hops[l.a].hopId, bHop: hops[l.b].hopId })), hopsById, usedKeys));
}
