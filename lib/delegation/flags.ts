// Anomaly flags over a correlated task (reference §1.9 rule 5, §4 "Misleading chains"). Each flag
// carries a sentence naming the values, so an investigator can check it without re-deriving it.

import { chainStartsWith, isIdentityPresenter, presenterMatchesActor, sameActor } from "./actors.ts";
import type { ActorRef, CorrelationHop, DelegationFacts, Flag, Task, TaskEdge } from "./types.ts";

const list = (values: readonly string[]) => values.join(", ");
const chainText = (chain: readonly ActorRef[]) => `[${chain.map((a) => a.id).join(" → ")}]`;

/** An agent used a human's credential: the token (or principal) is the human and no distinct actor is recorded. */
export function delegationCollapse(f: DelegationFacts): Flag | null {
  const subject = f.subject;
  if (!subject || subject.kind !== "human") return null;
  const agent = [f.principal, f.actingAgent].find((a): a is ActorRef => a !== null && a.kind === "agent" && a.id !== subject.id);
  if (!agent) return null;
  const recordedActors = f.chainSource === "principal" || f.chainSource === "none" || f.chainSource === "subject" ? [] : f.actorChain;
  if (recordedActors.some((a) => a.id !== subject.id)) return null;
  const where = f.provenance.subject ? ` (${f.provenance.subject})` : "";
  return {
    code: "delegation_collapse",
    reason: `agent ${agent.id} acted with ${subject.id}'s credential${where}; no act claim or delegation chain names an actor distinct from ${subject.id}`,
  };
}

export function scopeWidened(hop: CorrelationHop, parent: CorrelationHop | null): Flag | null {
  if (!parent) return null;
  const mine = hop.facts.delegatedScopes;
  const theirs = new Set(parent.facts.delegatedScopes);
  if (mine.length === 0 || theirs.size === 0) return null;
  const extra = mine.filter((s) => !theirs.has(s));
  if (extra.length === 0) return null;
  return {
    code: "scope_widened",
    reason: `scope${extra.length > 1 ? "s" : ""} ${list(extra)} not delegated by parent hop ${parent.hopId} (which had ${list([...theirs])})`,
    relatedHopIds: [parent.hopId],
  };
}

export function actorNotInMayAct(f: DelegationFacts): Flag | null {
  if (!f.mayAct || f.mayAct.length === 0) return null;
  if (f.mayAct.some((m) => sameActor(m, f.actingAgent))) return null;
  return {
    code: "actor_not_in_may_act",
    reason: `current actor ${f.actingAgent.id} is not among may_act (${list(f.mayAct.map((m) => m.id))})`,
  };
}

function hostOf(value: string): string | null {
  try {
    return new URL(value.includes("://") ? value : `https://${value}`).host.toLowerCase();
  } catch {
    return null;
  }
}

function normalizeResource(value: string): string {
  return value.trim().toLowerCase().replace(/\/+$/, "");
}

/** Audience covers the target when equal as resource URIs or naming the same host (RFC 8707 style). */
export function audienceCovers(audience: readonly string[], target: string): boolean {
  const t = normalizeResource(target);
  const tHost = hostOf(target);
  return audience.some((aud) => normalizeResource(aud) === t || (tHost !== null && hostOf(aud) === tHost));
}

export function audMismatch(f: DelegationFacts): Flag | null {
  const target = f.target.mcpServer ?? f.target.uri;
  if (!target || f.audience.length === 0 || audienceCovers(f.audience, target)) return null;
  const what = f.target.mcpServer ? "MCP server" : "target";
  return { code: "aud_mismatch", reason: `token audience ${list(f.audience)} does not include the ${what} ${target}` };
}

export function chainGap(hop: CorrelationHop, parent: CorrelationHop | null, edge: TaskEdge | null): Flag | null {
  const f = hop.facts;
  if (f.chainCompleteness === "partial") {
    const why = f.warnings.filter((w) => !w.includes("not a compact JWT"));
    return { code: "chain_gap", reason: `delegation chain ${chainText(f.actorChain)} is partial${why.length ? `: ${why.join("; ")}` : ""}` };
  }
  if (!parent || !edge || edge.kind === "chain_extension") return null;
  const mine = f.actorChain;
  const theirs = parent.facts.actorChain;
  if (theirs.length === 0 || mine.length === 0) return null;
  if (chainStartsWith(mine, theirs)) {
    const skipped = mine.length - theirs.length - 1;
    if (skipped <= 0) return null;
    return {
      code: "chain_gap",
      reason: `chain ${chainText(mine)} jumps ${skipped} actor${skipped > 1 ? "s" : ""} past parent hop ${parent.hopId}'s chain ${chainText(theirs)} (${list(mine.slice(theirs.length, -1).map((a) => a.id))} never seen)`,
      relatedHopIds: [parent.hopId],
    };
  }
  // Returning up the chain (a prefix of the parent's) is normal; diverging is not.
  if (chainStartsWith(theirs, mine)) return null;
  return {
    code: "chain_gap",
    reason: `chain ${chainText(mine)} does not extend parent hop ${parent.hopId}'s chain ${chainText(theirs)}`,
    relatedHopIds: [parent.hopId],
  };
}

/**
 * Skipped when the current actor is a human: people hold no workload identity, so the workload
 * presenting their request (a web front end) is expected to differ.
 */
export function presenterNeActor(f: DelegationFacts): Flag | null {
  const p = f.presenter;
  if (!p || f.actingAgent.kind === "human" || !isIdentityPresenter(p) || presenterMatchesActor(p, f.actingAgent)) return null;
  const where = f.provenance.presenter ? ` (${f.provenance.presenter})` : "";
  return { code: "presenter_ne_actor", reason: `request presented by ${p.id}${where} but the current actor is ${f.actingAgent.id}` };
}

function pathKey(f: DelegationFacts): string {
  return `${f.actingAgent.id}|${f.actorChain.map((a) => a.id).join(">")}|${f.presenter?.id ?? ""}`;
}

const decisionKey = (h: CorrelationHop) => `${h.action}\u0000${h.resource.kind ?? ""}\u0000${h.resource.id ?? ""}`;
const chainKey = (chain: readonly ActorRef[], length = chain.length) => chain.slice(0, length).map((a) => a.id).join("\u0000");

/** `denied`: earlier denied hops for the same action on the same resource. */
export function denyThenAllowElsewhere(hop: CorrelationHop, denied: readonly CorrelationHop[]): Flag | null {
  if (hop.effect !== "allow") return null;
  const elsewhere = denied.filter((d) => pathKey(d.facts) !== pathKey(hop.facts));
  if (elsewhere.length === 0) return null;
  const first = elsewhere[0];
  const resource = `${hop.resource.kind ?? "?"}${hop.resource.id !== null ? `/${hop.resource.id}` : ""}`;
  return {
    code: "deny_then_allow_elsewhere",
    reason: `${hop.action} on ${resource} was denied at hop ${first.hopId} for ${first.facts.actingAgent.id} ${chainText(first.facts.actorChain)} and allowed here for ${hop.facts.actingAgent.id} ${chainText(hop.facts.actorChain)}`,
    relatedHopIds: elsewhere.map((d) => d.hopId),
  };
}

/** Flags per hop of a task (hops without flags are absent from the map). */
export function flagHops(task: Pick<Task, "hopIds" | "edges">, hopsById: ReadonlyMap<string, CorrelationHop>): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  const hops = task.hopIds.map((id) => hopsById.get(id)).filter((h): h is CorrelationHop => h !== undefined);
  const parentEdge = new Map(task.edges.map((e) => [e.childHopId, e]));
  // Walked in decision order, so "earlier" state is kept in maps instead of rescanning.
  const latestByChain = new Map<string, CorrelationHop>();
  const deniedByDecision = new Map<string, CorrelationHop[]>();
  for (const hop of hops) {
    const edge = parentEdge.get(hop.hopId) ?? null;
    const edgeParent = edge ? (hopsById.get(edge.parentHopId) ?? null) : null;
    const flags = [
      delegationCollapse(hop.facts),
      scopeWidened(hop, edgeParent ?? delegatorHop(hop, latestByChain)),
      actorNotInMayAct(hop.facts),
      audMismatch(hop.facts),
      chainGap(hop, edgeParent, edge),
      presenterNeActor(hop.facts),
      denyThenAllowElsewhere(hop, deniedByDecision.get(decisionKey(hop)) ?? []),
    ].filter((f): f is Flag => f !== null);
    if (flags.length) out.set(hop.hopId, flags);
    latestByChain.set(chainKey(hop.facts.actorChain), hop);
    if (hop.effect === "deny") {
      const list = deniedByDecision.get(decisionKey(hop)) ?? [];
      list.push(hop);
      deniedByDecision.set(decisionKey(hop), list);
    }
  }
  return out;
}

/** Without an edge parent: the latest earlier hop of the nearest delegator (longest strict chain prefix). */
function delegatorHop(hop: CorrelationHop, latestByChain: ReadonlyMap<string, CorrelationHop>): CorrelationHop | null {
  const chain = hop.facts.actorChain;
  for (let length = chain.length - 1; length >= 0; length--) {
    const found = latestByChain.get(chainKey(chain, length));
    if (found) return found;
  }
  return null;
}
