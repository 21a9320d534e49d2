// One group of hops → a Task: evidence, stable key, parent/child edges, actors, flag summary.
// Edges prefer span parentage, then chain extension, then Txn `req_wl` path extension (§1.11);
// a hop that joined only by time-window inference hangs off its anchor by a dashed `sequence` edge.

import { flagHops } from "./flags.ts";
import { LineageIndex, ParentFinder } from "./lineage.ts";
import type { ActorRef, CorrelationEvidence, CorrelationHop, EvidenceKind, FlagCode, Task, TaskEdge } from "./types.ts";

/** A link that joined two hops' groups; a/b index the time-sorted hop list, a before b. */
export interface Link {
  a: number;
  b: number;
  kind: EvidenceKind;
  value: string;
  confidence: number;
  inferred: boolean;
}

export type ResolvedLink = Link & { aHop: string; bHop: string };

const EDGE_CONFIDENCE = { span: 0.9, chain_extension: 0.85, req_wl: 0.85 } as const;

const KEY_PREFIX: Record<EvidenceKind, string> = {
  explicit_task_id: "task",
  txn: "txn",
  trace_id: "trace",
  jti_link: "token",
  token_lineage: "lineage",
  time_window: "inferred",
};

const KIND_RANK: EvidenceKind[] = ["explicit_task_id", "txn", "trace_id", "token_lineage", "jti_link", "time_window"];

function carriedEvidence(hops: readonly CorrelationHop[]): CorrelationEvidence[] {
  const found = new Map<string, CorrelationEvidence>();
  const add = (kind: EvidenceKind, value: string | null | undefined, confidence: number, hopId: string) => {
    if (!value) return;
    const key = `${kind}\u0000${value}`;
    const entry = found.get(key) ?? { kind, value, confidence, hopIds: [], inferred: false };
    entry.hopIds.push(hopId);
    found.set(key, entry);
  };
  for (const h of hops) {
    const f = h.facts;
    add("explicit_task_id", f.taskId, 1, h.hopId);
    add("txn", f.txn && f.txn.txn !== "N_A" ? f.txn.txn : null, 0.95, h.hopId);
    add("trace_id", f.trace.traceId, 0.9, h.hopId);
    add("jti_link", f.token?.jti ? `${f.token.iss ?? ""}|${f.token.jti}` : null, 0.8, h.hopId);
  }
  // One hop holding a jti links nothing; task ids, txns and traces still name the task.
  return [...found.values()].filter((e) => e.kind !== "jti_link" || e.hopIds.length > 1);
}

function linkEvidence(links: readonly ResolvedLink[]): CorrelationEvidence[] {
  const lineage = new Map<string, CorrelationEvidence>();
  const out: CorrelationEvidence[] = [];
  for (const l of links) {
    if (l.kind === "time_window") {
      out.push({ kind: "time_window", value: l.value, confidence: l.confidence, hopIds: [l.aHop, l.bHop], inferred: true });
    } else if (l.kind === "token_lineage") {
      const entry = lineage.get(l.value) ?? { kind: "token_lineage", value: l.value, confidence: l.confidence, hopIds: [], inferred: false };
      for (const id of [l.aHop, l.bHop]) if (!entry.hopIds.includes(id)) entry.hopIds.push(id);
      lineage.set(l.value, entry);
    }
  }
  return [...lineage.values(), ...out];
}

function taskKeyOf(evidence: readonly CorrelationEvidence[], hops: readonly CorrelationHop[], usedKeys: Set<string>): string {
  const order = new Map(hops.map((h, i) => [h.hopId, i]));
  const firstOrder = (e: CorrelationEvidence) => Math.min(...e.hopIds.map((id) => order.get(id) ?? Infinity));
  let key = `hop:${hops[0].hopId}`;
  for (const kind of KIND_RANK) {
    const candidates = evidence.filter((e) => e.kind === kind).sort((a, b) => firstOrder(a) - firstOrder(b));
    if (!candidates.length) continue;
    // Lineage and inference have no natural value; the first hop names them.
    key = kind === "token_lineage" || kind === "time_window" ? `${KEY_PREFIX[kind]}:${hops[0].hopId}` : `${KEY_PREFIX[kind]}:${candidates[0].value}`;
    break;
  }
  let unique = key;
  for (let n = 2; usedKeys.has(unique); n++) unique = `${key}#${n}`;
  usedKeys.add(unique);
  return unique;
}

function edgesOf(hops: readonly CorrelationHop[], links: readonly ResolvedLink[]): TaskEdge[] {
  const lineage = new LineageIndex(hops);
  const inferredJoin = new Map(links.filter((l) => l.inferred).map((l) => [l.bHop, l]));
  const finder = new ParentFinder();
  const edges: TaskEdge[] = [];
  hops.forEach((child, i) => {
    const edge = parentEdge(child, i);
    if (edge) edges.push(edge);
    finder.add(child);
  });
  return edges;

  function parentEdge(child: CorrelationHop, i: number): TaskEdge | null {
    if (i === 0) return null;
    const span = finder.spanParent(child);
    if (span) return { parentHopId: span.hopId, childHopId: child.hopId, kind: "span", confidence: EDGE_CONFIDENCE.span, inferred: false };
    const chain = lineage.parentOf(child, i);
    if (chain) return { parentHopId: chain.hopId, childHopId: child.hopId, kind: "chain_extension", confidence: EDGE_CONFIDENCE.chain_extension, inferred: false };
    const wl = finder.reqWlParent(child);
    if (wl) return { parentHopId: wl.hopId, childHopId: child.hopId, kind: "req_wl", confidence: EDGE_CONFIDENCE.req_wl, inferred: false };
    const joined = inferredJoin.get(child.hopId);
    return joined ? { parentHopId: joined.aHop, childHopId: child.hopId, kind: "sequence", confidence: joined.confidence, inferred: true } : null;
  }
}

function actorsOf(hops: readonly CorrelationHop[]): ActorRef[] {
  const seen = new Map<string, ActorRef>();
  for (const h of hops) {
    const human = h.facts.initiatingHuman?.id;
    for (const a of [...h.facts.actorChain, h.facts.actingAgent]) if (a.id !== human && !seen.has(a.id)) seen.set(a.id, a);
  }
  return [...seen.values()];
}

export function buildTask(hops: readonly CorrelationHop[], links: readonly ResolvedLink[], hopsById: ReadonlyMap<string, CorrelationHop>, usedKeys: Set<string>): Task {
  const evidence = [...carriedEvidence(hops), ...linkEvidence(links)].sort((a, b) => b.confidence - a.confidence || KIND_RANK.indexOf(a.kind) - KIND_RANK.indexOf(b.kind));
  const explicit = evidence.find((e) => e.kind === "explicit_task_id");
  const task: Task = {
    taskKey: taskKeyOf(evidence, hops, usedKeys),
    ...(explicit ? { taskId: explicit.value } : {}),
    evidence,
    confidence: links.length ? Math.min(...links.map((l) => l.confidence)) : 1,
    inferred: links.some((l) => l.inferred),
    initiatingHuman: hops.find((h) => h.facts.initiatingHuman)?.facts.initiatingHuman ?? null,
    hopIds: hops.map((h) => h.hopId),
    edges: edgesOf(hops, links),
    actors: actorsOf(hops),
    flags: {},
  };
  const counts: Partial<Record<FlagCode, number>> = {};
  for (const flags of flagHops(task, hopsById).values()) for (const code of new Set(flags.map((f) => f.code))) counts[code] = (counts[code] ?? 0) + 1;
  task.flags = counts;
  return task;
}
