// A small TaskDetail shaped like the demo incident (alice → payments-bot → fx-quoter, scope widened).
import type { DelegationFacts } from "../delegation/types.ts";
import type { TaskDetail, TaskHopView } from "../tasks/queries.ts";

function facts(human: string, chain: string[], scopes: string[]): DelegationFacts {
  const actor = (id: string) => ({ id, kind: "agent" as const, source: "jwt.act" as const });
  return {
    initiatingHuman: { id: human, kind: "human", source: "jwt.sub" },
    actingAgent: actor(chain[chain.length - 1]),
    actorChain: chain.map(actor),
    chainCompleteness: "full",
    chainSource: "act",
    subject: null,
    principal: actor(chain[chain.length - 1]),
    mayAct: null,
    presenter: { id: "10.0.0.1", kind: "unknown", source: "peer" },
    audience: ["cerbos-pdp"],
    delegatedScopes: scopes,
    token: { typ: null, iss: "https://idp", aud: ["cerbos-pdp"], jti: "j1", iat: null, exp: null, sha256: null, sigVerified: "unknown" },
    txn: null,
    trace: { traceId: "t1", spanId: "s1", parentSpanId: null, baggage: {}, tracestate: null },
    taskId: "task-1",
    target: { kind: null, id: null, tool: null, mcpServer: null, mcpMethod: null, uri: null },
    provenance: {},
    warnings: [],
  };
}

export function hop(over: Partial<TaskHopView> & { hopId: string; decidedAt: string; chain: string[]; scopes: string[] }): TaskHopView {
  const { chain, scopes, ...rest } = over;
  return {
    recordId: `r${over.hopId}`,
    position: 0,
    engine: "cerbos",
    pdpInstance: "pdp-1",
    initiatingHuman: "alice",
    actingAgent: chain[chain.length - 1],
    actorChain: chain,
    delegatedScopes: scopes,
    action: "view",
    resource: { kind: "payment", id: "p1" },
    effect: "allow",
    policy: "resource.payment.vdefault",
    policySourceRef: "abc",
    flags: [],
    facts: facts("alice", chain, scopes),
    ...rest,
  };
}

export const INCIDENT: TaskDetail = {
  taskKey: "task:task-1",
  taskId: "task-1",
  confidence: 1,
  inferred: false,
  initiatingHuman: "alice",
  firstAt: "2026-11-22T03:12:00.000Z",
  lastAt: "2026-11-22T03:12:10.000Z",
  hopCount: 3,
  denyCount: 1,
  flagCount: 1,
  actors: ["agent:bot", "agent:fx"],
  resources: ["payment:p1", "mcp_tool:mcp://fx/quote"],
  flagSummary: { scope_widened: 1 },
  evidence: [{ kind: "explicit_task_id", value: "task-1", confidence: 1, hopIds: ["1", "2"], inferred: false }, { kind: "time_window", value: "alice", confidence: 0.4, hopIds: ["2", "3"], inferred: true }],
  edges: [{ parentHopId: "1", childHopId: "2", kind: "chain_extension", confidence: 0.85, inferred: false }],
  hops: [
    hop({ hopId: "1", decidedAt: "2026-11-22T03:12:00.000Z", chain: ["agent:bot"], scopes: ["payments:read", "fx:quote"], action: "create" }),
    hop({
      hopId: "2",
      decidedAt: "2026-11-22T03:12:05.000Z",
      chain: ["agent:bot", "agent:fx"],
      scopes: ["fx:quote", "payments:approve"],
      action: "invoke",
      resource: { kind: "mcp_tool", id: "mcp://fx/quote" },
      flags: [{ code: "scope_widened", reason: "scopes payments:approve not delegated by parent hop 1", relatedHopIds: ["1"] }],
    }),
    hop({ hopId: "3", decidedAt: "2026-11-22T03:12:10.000Z", chain: ["agent:bot", "agent:fx"], scopes: ["fx:quote"], effect: "deny", action: "approve" }),
  ],
};
