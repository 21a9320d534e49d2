// Synthetic DelegationFacts / CorrelationHops for correlation and flag tests.

import type { ActorRef, CorrelationHop, DelegationFacts } from "../types.ts";

export const human = (id: string): ActorRef => ({ id, kind: "human", source: "jwt.sub" });
export const agent = (id: string): ActorRef => ({ id, kind: "agent", source: "jwt.act" });

export interface FactsSpec extends Partial<Omit<DelegationFacts, "trace" | "target" | "token">> {
  trace?: Partial<DelegationFacts["trace"]>;
  target?: Partial<DelegationFacts["target"]>;
  token?: Partial<NonNullable<DelegationFacts["token"]>> | null;
  /** Shorthand: chain ids (agents), origin first. */
  chain?: string[];
  /** Shorthand: the human who started it (also the token subject). */
  by?: string;
}

export function facts(spec: FactsSpec = {}): DelegationFacts {
  const { chain, by, trace, target, token, ...rest } = spec;
  const actorChain = rest.actorChain ?? (chain ?? []).map(agent);
  const initiatingHuman = rest.initiatingHuman !== undefined ? rest.initiatingHuman : by ? human(by) : null;
  return {
    initiatingHuman,
    actingAgent: rest.actingAgent ?? actorChain[actorChain.length - 1] ?? initiatingHuman ?? { id: "unknown", kind: "unknown", source: "input" },
    actorChain,
    chainCompleteness: actorChain.length ? "full" : "none",
    chainSource: actorChain.length ? "act" : "none",
    subject: initiatingHuman,
    principal: null,
    mayAct: null,
    presenter: null,
    audience: [],
    delegatedScopes: [],
    txn: null,
    taskId: null,
    provenance: {},
    warnings: [],
    ...rest,
    token: token === null ? null : { typ: null, iss: "https://idp.acme", aud: [], jti: null, iat: null, exp: null, sha256: null, sigVerified: "unknown", ...(token ?? {}) },
    trace: { traceId: null, spanId: null, parentSpanId: null, baggage: {}, tracestate: null, ...(trace ?? {}) },
    target: { kind: "doc", id: "d1", tool: null, mcpServer: null, mcpMethod: null, uri: null, ...(target ?? {}) },
  };
}

const T0 = Date.parse("2026-09-01T10:00:00Z");

/** A hop `seconds` after 10:00:00 with the given facts. */
export function hop(hopId: string, seconds: number, spec: FactsSpec = {}, extra: Partial<CorrelationHop> = {}): CorrelationHop {
  return {
    hopId,
    decidedAt: new Date(T0 + seconds * 1000),
    effect: "allow",
    action: "read",
    resource: { kind: "doc", id: "d1" },
    facts: facts(spec),
    ...extra,
  };
}
