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

export function presenterNeActor(f: DelegationFacts): Flag | null {
  const p = f.presenter;
  if (!p || !isIdentityPresenter(p) || presenterMatchesActor(p, f.actingAgent)) return null;
  const where = f.provenance.presenter ? ` (${f.provenance.presenter})` : "";
  return { code: "presenter_ne_actor", reason: `request presented by ${p.id}${where} but the current actor is ${f.actingAgent.id}` };
}

function pathKey(f: DelegationFacts): string {
  return `${f.actingAgent.id}|${f.actorChain.map((a) => a.id).join(">")}|${f.presenter?.id ?? ""}`;
}

export function denyThenAllowElsewhere(hop: CorrelationHop, earlier: readonly CorrelationHop[]): Flag | null {
  if (hop.effect !== "allow") return null;
  const denied = earlier.filter(
    (d) =>
      d.effect === "deny" &&
      d.action === hop.action &&
      d.resource.kind === hop.resource.kind &&
      d.resource.id === hop.resource.id &&
      pathKey(d.facts) !== pathKey(hop.facts),
  );
  if (denied.length === 0) return null;
  const first = denied[0];
  const resource = `${hop.resource.kind ?? "?"}${hop.resource.id !== null ? `/${hop.resource.id}` : ""}`;
  return {
    code: "deny_then_allow_elsewhere",
    reason: `${hop.action} on ${resource} was denied at hop ${first.hopId} for ${first.facts.actingAgent.id} ${chainText(first.facts.actorChain)} and allowed here for ${hop.facts.actingAgent.id} ${chainText(hop.facts.actorChain)}`,
    relatedHopIds: denied.map((d) => d.hopId),
  };
}

/**
 * The hop to compare a hop with: its edge parent, else the latest earlier hop whose chain is a
 * strict prefix of its own (the delegator's own decision).
 */
function comparisonParent(hop: CorrelationHop, earlier: readonly CorrelationHop[], edgeParent: CorrelationHop | null): CorrelationHop | null {
  if (edgeParent) return edgeParent;
  const chain = hop.facts.actorChain;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const c = earlier[i].facts.actorChain;
    if (c.length < chain.length && chainStartsWith(chain, c)) return earlier[i];
  }
  return null;
}

/** Flags per hop of a task (hops without flags are absent from the map). */
export function flagHops(task: Pick<Task, "hopIds" | "edges">, hopsById: ReadonlyMap<string, CorrelationHop>): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  const hops = task.hopIds.map((id) => hopsById.get(id)).filter((h): h is CorrelationHop => h !== undefined);
  const parentEdge = new Map(task.edges.map((e) => [e.childHopId, e]));
  hops.forEach((hop, i) => {
    const earlier = hops.slice(0, i);
    const edge = parentEdge.get(hop.hopId) ?? null;
    const edgeParent = edge ? (hopsById.get(edge.parentHopId) ?? null) : null;
    const flags = [
      delegationCollapse(hop.facts),
      scopeWidened(hop, comparisonParent(hop, earlier, edgeParent)),
      actorNotInMayAct(hop.facts),
      audMismatch(hop.facts),
      chainGap(hop, edgeParent, edge),
      presenterNeActor(hop.facts),
      denyThenAllowElsewhere(hop, earlier),
    ].filter((f): f is Flag => f !== null);
    if (flags.length) out.set(hop.hopId, flags);
  });
  return out;
}
