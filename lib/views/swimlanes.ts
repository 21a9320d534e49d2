// TaskDetail → what the timeline draws: one lane per acting actor (ordered by chain depth, then first
// appearance), one entry per hop with its lane and time, and the hop-to-hop links. Pure and
// serialisable: the server builds it, the client component only positions marks.
import type { ActorKind } from "../delegation/types.ts";
import type { TaskDetail, TaskHopView } from "../tasks/queries.ts";
import { paddedDomain, type TimeDomain } from "./time-scale.ts";

export type DecisionClass = "allow" | "deny" | "other";

export interface Lane {
  actor: string;
  kind: ActorKind;
  /** 1 = acts directly for the human, 2 = a sub-agent of that agent, … */
  depth: number;
  hopCount: number;
  denyCount: number;
  flaggedCount: number;
}

export interface ChainMember {
  id: string;
  kind: ActorKind;
}

export interface TimelineHop {
  hopId: string;
  recordId: string;
  t: number;
  decidedAt: string;
  lane: number;
  decision: DecisionClass;
  effect: string;
  engine: string;
  pdpInstance: string;
  action: string;
  resource: string;
  /** Human first (when known), then the actor chain origin → current. */
  chain: ChainMember[];
  chainCompleteness: string;
  delegatedScopes: string[];
  audience: string[];
  token: { typ: string | null; iss: string | null; aud: string[]; jti: string | null; iat: string | null; exp: string | null; sha256: string | null; sigVerified: string } | null;
  txn: { txn: string; reqWl: string[]; purpose: string | null } | null;
  trace: { traceId: string | null; spanId: string | null; parentSpanId: string | null };
  presenter: string | null;
  principal: string | null;
  mayAct: string[] | null;
  target: { tool: string | null; mcpServer: string | null; mcpMethod: string | null; uri: string | null };
  policy: string | null;
  policySourceRef: string | null;
  flags: { code: string; reason: string; relatedHopIds: string[] }[];
  /** Joined to the task only through a time-window inference. */
  inferred: boolean;
  /** Hops of one lane decided at the same instant (a multi-action check) share the mark's height: slot i of n. */
  slot: number;
  slots: number;
}

export interface TimelineLink {
  from: string;
  to: string;
  kind: string;
  confidence: number;
  inferred: boolean;
}

export interface SwimlaneModel {
  lanes: Lane[];
  hops: TimelineHop[];
  links: TimelineLink[];
  domain: TimeDomain;
}

export function decisionClass(effect: string): DecisionClass {
  return effect === "allow" ? "allow" : effect === "deny" ? "deny" : "other";
}

export function resourceLabel(r: { kind: string | null; id: string | null }): string {
  if (!r.kind && !r.id) return "—";
  return `${r.kind ?? "?"}${r.id ? `:${r.id}` : ""}`;
}

/** Hops that no strong (non-inferred) evidence covers: they joined only by inference. */
export function inferredHopIds(task: Pick<TaskDetail, "evidence" | "hops">): Set<string> {
  const strong = new Set<string>();
  for (const e of task.evidence) if (!e.inferred) for (const id of e.hopIds) strong.add(id);
  const out = new Set<string>();
  if (task.hops.length <= 1) return out;
  for (const h of task.hops) if (!strong.has(h.hopId)) out.add(h.hopId);
  return out;
}

function depthOf(h: TaskHopView): number {
  const i = h.actorChain.lastIndexOf(h.actingAgent);
  return i >= 0 ? i + 1 : Math.max(h.actorChain.length, 1);
}

function toTimelineHop(h: TaskHopView, lane: number, inferred: boolean): TimelineHop {
  const f = h.facts;
  const chain: ChainMember[] = [];
  if (f?.initiatingHuman) chain.push({ id: f.initiatingHuman.id, kind: f.initiatingHuman.kind });
  else if (h.initiatingHuman) chain.push({ id: h.initiatingHuman, kind: "human" });
  const actors = f?.actorChain?.length ? f.actorChain.map((a) => ({ id: a.id, kind: a.kind })) : h.actorChain.map((id) => ({ id, kind: "unknown" as ActorKind }));
  chain.push(...actors);
  if (!actors.some((a) => a.id === h.actingAgent)) chain.push({ id: h.actingAgent, kind: f?.actingAgent?.kind ?? "unknown" });
  return {
    hopId: h.hopId,
    recordId: h.recordId,
    t: Date.parse(h.decidedAt),
    decidedAt: h.decidedAt,
    lane,
    decision: decisionClass(h.effect),
    effect: h.effect,
    engine: h.engine,
    pdpInstance: h.pdpInstance,
    action: h.action,
    resource: resourceLabel(h.resource),
    chain,
    chainCompleteness: f?.chainCompleteness ?? "none",
    delegatedScopes: h.delegatedScopes ?? [],
    audience: f?.audience ?? [],
    token: f?.token
      ? { typ: f.token.typ, iss: f.token.iss, aud: f.token.aud, jti: f.token.jti, iat: f.token.iat, exp: f.token.exp, sha256: f.token.sha256, sigVerified: f.token.sigVerified }
      : null,
    txn: f?.txn ? { txn: f.txn.txn, reqWl: f.txn.reqWl, purpose: f.txn.purpose } : null,
    trace: { traceId: f?.trace?.traceId ?? null, spanId: f?.trace?.spanId ?? null, parentSpanId: f?.trace?.parentSpanId ?? null },
    presenter: f?.presenter?.id ?? null,
    principal: f?.principal?.id ?? null,
    mayAct: f?.mayAct ? f.mayAct.map((a) => a.id) : null,
    target: { tool: f?.target?.tool ?? null, mcpServer: f?.target?.mcpServer ?? null, mcpMethod: f?.target?.mcpMethod ?? null, uri: f?.target?.uri ?? null },
    policy: h.policy,
    policySourceRef: h.policySourceRef,
    flags: (h.flags ?? []).map((fl) => ({ code: fl.code, reason: fl.reason, relatedHopIds: fl.relatedHopIds ?? [] })),
    inferred,
    slot: 0,
    slots: 1,
  };
}

export function buildSwimlanes(task: Pick<TaskDetail, "hops" | "edges" | "evidence">): SwimlaneModel {
  const laneIndex = new Map<string, number>();
  const lanes: Lane[] = [];
  const firstSeen: { actor: string; depth: number; order: number; kind: ActorKind }[] = [];
  for (const h of task.hops) {
    if (laneIndex.has(h.actingAgent)) continue;
    laneIndex.set(h.actingAgent, -1);
    firstSeen.push({ actor: h.actingAgent, depth: depthOf(h), order: firstSeen.length, kind: h.facts?.actingAgent?.kind ?? "unknown" });
  }
  firstSeen.sort((a, b) => a.depth - b.depth || a.order - b.order);
  firstSeen.forEach((l, i) => {
    laneIndex.set(l.actor, i);
    lanes.push({ actor: l.actor, kind: l.kind, depth: l.depth, hopCount: 0, denyCount: 0, flaggedCount: 0 });
  });
  const inferred = inferredHopIds(task);
  const hops = task.hops.map((h) => {
    const lane = laneIndex.get(h.actingAgent)!;
    const l = lanes[lane];
    l.hopCount++;
    if (h.effect === "deny") l.denyCount++;
    if (h.flags?.length) l.flaggedCount++;
    return toTimelineHop(h, lane, inferred.has(h.hopId));
  });
  const sameInstant = new Map<string, TimelineHop[]>();
  for (const h of hops) {
    const k = `${h.lane}|${h.t}`;
    sameInstant.set(k, [...(sameInstant.get(k) ?? []), h]);
  }
  for (const group of sameInstant.values()) {
    if (group.length > 1) group.forEach((h, i) => Object.assign(h, { slot: i, slots: group.length }));
  }
  const links = task.edges.map((e) => ({ from: e.parentHopId, to: e.childHopId, kind: e.kind, confidence: e.confidence, inferred: e.inferred }));
  return { lanes, hops, links, domain: paddedDomain(hops.map((h) => h.t)) };
}
