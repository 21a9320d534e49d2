import { describe, expect, it } from "vitest";
import { correlateTasks } from "./correlate.ts";
import { audienceCovers, flagHops } from "./flags.ts";
import { agent, hop, human } from "./testdata/facts.ts";
import { cerbosEntry, factsOf } from "./testdata/parse.ts";
import type { CorrelationHop, Flag, FlagCode, TaskEdge } from "./types.ts";

function flagsOf(hops: CorrelationHop[], edges: TaskEdge[] = []): Map<string, Flag[]> {
  return flagHops({ hopIds: hops.map((h) => h.hopId), edges }, new Map(hops.map((h) => [h.hopId, h])));
}

const codes = (flags: Map<string, Flag[]>, hopId: string): FlagCode[] => (flags.get(hopId) ?? []).map((f) => f.code);
const only = (flags: Map<string, Flag[]>, hopId: string, code: FlagCode) => flags.get(hopId)?.find((f) => f.code === code);
const edge = (parentHopId: string, childHopId: string, kind: TaskEdge["kind"] = "span"): TaskEdge => ({ parentHopId, childHopId, kind, confidence: 0.9, inferred: false });

describe("delegation_collapse", () => {
  it("agent principal presenting a human's token without act", () => {
    const f = factsOf(cerbosEntry({ principal: { id: "planner-agent" }, auxData: { jwt: { sub: "alice@acme", iss: "https://idp" } } } as never));
    const flags = flagsOf([hop("h", 0, {}, { facts: f })]);
    expect(only(flags, "h", "delegation_collapse")?.reason).toBe(
      "agent planner-agent acted with alice@acme's credential (cerbos.auxData.jwt.sub); no act claim or delegation chain names an actor distinct from alice@acme",
    );
  });

  it("act naming only the subject itself is a collapse too", () => {
    const f = factsOf(cerbosEntry({ principal: { id: "planner-agent" }, auxData: { jwt: { sub: "alice", act: { sub: "alice" } } } } as never));
    expect(codes(flagsOf([hop("h", 0, {}, { facts: f })]), "h")).toContain("delegation_collapse");
  });

  it("human principal with an agent only named in an annotation", () => {
    const f = factsOf(cerbosEntry({ principal: { id: "alice" } }, { requestContext: { annotations: { agent_id: "agent-x" } } }));
    expect(codes(flagsOf([hop("h", 0, {}, { facts: f })]), "h")).toEqual(["delegation_collapse"]);
  });

  it("not flagged: proper act delegation, a human acting directly, client-as-actor", () => {
    const proper = factsOf(cerbosEntry({ principal: { id: "planner-agent" }, auxData: { jwt: { sub: "alice", act: { sub: "planner-agent" } } } } as never));
    const direct = factsOf(cerbosEntry({ principal: { id: "alice" } }));
    const client = factsOf(cerbosEntry({ principal: { id: "planner-agent" }, auxData: { jwt: { sub: "alice", client_id: "agent-host" } } } as never));
    const flags = flagsOf([hop("a", 0, {}, { facts: proper }), hop("b", 1, {}, { facts: direct }), hop("c", 2, {}, { facts: client })]);
    expect([codes(flags, "a"), codes(flags, "b"), codes(flags, "c")]).toEqual([[], [], []]);
  });
});

describe("scope_widened", () => {
  const parent = hop("p", 0, { by: "alice", chain: ["planner-agent"], delegatedScopes: ["crm.read"] });

  it("names the extra scopes and the parent", () => {
    const child = hop("c", 1, { by: "alice", chain: ["planner-agent", "r-agent"], delegatedScopes: ["crm.read", "crm.search", "crm.write"] });
    const flag = only(flagsOf([parent, child], [edge("p", "c", "chain_extension")]), "c", "scope_widened");
    expect(flag).toEqual({ code: "scope_widened", reason: "scopes crm.search, crm.write not delegated by parent hop p (which had crm.read)", relatedHopIds: ["p"] });
  });

  it("without an edge, compares with the delegator's latest hop (chain prefix)", () => {
    const child = hop("c", 1, { by: "alice", chain: ["planner-agent", "r-agent"], delegatedScopes: ["crm.search"] });
    expect(codes(flagsOf([parent, child]), "c")).toEqual(["scope_widened"]);
  });

  it("not flagged: attenuated scopes, or no scopes to compare", () => {
    const narrower = hop("c", 1, { by: "alice", chain: ["planner-agent", "r-agent"], delegatedScopes: ["crm.read"] });
    const unknown = hop("d", 2, { by: "alice", chain: ["planner-agent", "r-agent"] });
    const flags = flagsOf([parent, narrower, unknown], [edge("p", "c"), edge("p", "d")]);
    expect([codes(flags, "c"), codes(flags, "d")]).toEqual([[], []]);
  });
});

describe("actor_not_in_may_act", () => {
  it("flags an actor outside may_act and names both", () => {
    const h = hop("h", 0, { by: "alice", chain: ["agent-x"], mayAct: [agent("planner-agent")] });
    expect(only(flagsOf([h]), "h", "actor_not_in_may_act")?.reason).toBe("current actor agent-x is not among may_act (planner-agent)");
  });

  it("not flagged: actor listed (also by client id), or no may_act claim", () => {
    const listed = hop("a", 0, { by: "alice", chain: ["planner-agent"], mayAct: [agent("planner-agent")] });
    const byClient = hop("b", 1, { by: "alice", actorChain: [{ ...agent("svc-1"), clientId: "cli-9" }], mayAct: [{ id: "cli-9", kind: "client", source: "jwt.may_act" }] });
    const none = hop("c", 2, { by: "alice", chain: ["agent-x"] });
    const flags = flagsOf([listed, byClient, none]);
    expect([codes(flags, "a"), codes(flags, "b"), codes(flags, "c")]).toEqual([[], [], []]);
  });
});

describe("aud_mismatch", () => {
  it("token audience does not include the MCP server", () => {
    const h = hop("h", 0, { audience: ["https://crm.acme"], target: { mcpServer: "https://mcp.crm.acme" } });
    expect(only(flagsOf([h]), "h", "aud_mismatch")?.reason).toBe("token audience https://crm.acme does not include the MCP server https://mcp.crm.acme");
  });

  it("not flagged: same resource URI, same host (bare host behind a gateway), or nothing to compare", () => {
    expect(audienceCovers(["https://mcp.crm.acme/"], "https://mcp.crm.acme")).toBe(true);
    expect(audienceCovers(["https://mcp.crm.acme"], "mcp.crm.acme")).toBe(true);
    const flags = flagsOf([
      hop("a", 0, { audience: ["https://mcp.crm.acme"], target: { mcpServer: "mcp.crm.acme" } }),
      hop("b", 1, { audience: ["https://crm.acme"] }),
      hop("c", 2, { target: { uri: "https://x" } }),
    ]);
    expect([codes(flags, "a"), codes(flags, "b"), codes(flags, "c")]).toEqual([[], [], []]);
  });
});

describe("chain_gap", () => {
  it("a partial chain says why", () => {
    const f = factsOf(cerbosEntry({ auxData: { jwt: { sub: "alice", act: { sub: "agent-c", act: { iss: "x" } } } } } as never));
    expect(only(flagsOf([hop("h", 0, {}, { facts: f })]), "h", "chain_gap")?.reason).toBe("delegation chain [agent-c] is partial: act at depth 1 has no sub or client_id");
  });

  it("child chain not an extension of its parent's (missing nesting downstream)", () => {
    const p = hop("p", 0, { by: "alice", chain: ["planner-agent"] });
    const c = hop("c", 1, { by: "alice", chain: ["research-agent"] });
    expect(only(flagsOf([p, c], [edge("p", "c")]), "c", "chain_gap")).toEqual({
      code: "chain_gap",
      reason: "chain [research-agent] does not extend parent hop p's chain [planner-agent]",
      relatedHopIds: ["p"],
    });
  });

  it("child chain jumps actors", () => {
    const p = hop("p", 0, { by: "alice", chain: ["a-agent"] });
    const c = hop("c", 1, { by: "alice", chain: ["a-agent", "b-agent", "c-agent"] });
    expect(only(flagsOf([p, c], [edge("p", "c")]), "c", "chain_gap")?.reason).toBe("chain [a-agent → b-agent → c-agent] jumps 1 actor past parent hop p's chain [a-agent] (b-agent never seen)");
  });

  it("not flagged: extension by one, same actor, going back up, committed chains", () => {
    const p = hop("p", 0, { by: "alice", chain: ["a-agent", "b-agent"] });
    const ext = hop("e", 1, { by: "alice", chain: ["a-agent", "b-agent", "c-agent"] });
    const same = hop("s", 2, { by: "alice", chain: ["a-agent", "b-agent"] });
    const up = hop("u", 3, { by: "alice", chain: ["a-agent"] });
    const committed = hop("k", 4, { by: "alice", chain: ["a-agent"], chainCompleteness: "committed" });
    const flags = flagsOf([p, ext, same, up, committed], [edge("p", "e"), edge("p", "s"), edge("p", "u")]);
    expect(["e", "s", "u", "k"].map((id) => codes(flags, id))).toEqual([[], [], [], []]);
  });
});

describe("presenter_ne_actor", () => {
  it("SPIFFE presenter of another workload", () => {
    const h = hop("h", 0, { by: "alice", chain: ["research-agent"], presenter: { id: "spiffe://acme/ns/x/sa/billing", spiffeId: "spiffe://acme/ns/x/sa/billing", kind: "workload", source: "peer" }, provenance: { presenter: "cerbos.peer.forwardedFor" } });
    expect(only(flagsOf([h]), "h", "presenter_ne_actor")?.reason).toBe("request presented by spiffe://acme/ns/x/sa/billing (cerbos.peer.forwardedFor) but the current actor is research-agent");
  });

  it("not flagged: a human acting directly through a front-end workload", () => {
    const h = hop("h", 0, { by: "alice", presenter: { id: "spiffe://acme/ns/web/sa/frontend", spiffeId: "spiffe://acme/ns/web/sa/frontend", kind: "workload", source: "peer" } });
    expect(codes(flagsOf([h]), "h")).toEqual([]);
  });

  it("not flagged: the actor's own workload, a bare IP, no presenter", () => {
    const own = hop("a", 0, { by: "alice", chain: ["research-agent"], presenter: { id: "spiffe://acme/ns/x/sa/research", spiffeId: "spiffe://acme/ns/x/sa/research", kind: "workload", source: "peer" } });
    const ip = hop("b", 1, { by: "alice", chain: ["research-agent"], presenter: { id: "10.0.0.1:443", kind: "unknown", source: "peer" } });
    const none = hop("c", 2, { by: "alice", chain: ["research-agent"] });
    const flags = flagsOf([own, ip, none]);
    expect([codes(flags, "a"), codes(flags, "b"), codes(flags, "c")]).toEqual([[], [], []]);
  });
});

describe("deny_then_allow_elsewhere", () => {
  const denied = hop("d", 0, { by: "alice", chain: ["agent-a"] }, { effect: "deny", action: "delete", resource: { kind: "doc", id: "d7" } });

  it("same action and resource allowed later for another actor", () => {
    const allowed = hop("a", 30, { by: "alice", chain: ["agent-b"] }, { effect: "allow", action: "delete", resource: { kind: "doc", id: "d7" } });
    expect(only(flagsOf([denied, allowed]), "a", "deny_then_allow_elsewhere")).toEqual({
      code: "deny_then_allow_elsewhere",
      reason: "delete on doc/d7 was denied at hop d for agent-a [agent-a] and allowed here for agent-b [agent-b]",
      relatedHopIds: ["d"],
    });
  });

  it("not flagged: same path retried (e.g. after step-up), other resource, other action", () => {
    const retried = hop("r", 30, { by: "alice", chain: ["agent-a"] }, { action: "delete", resource: { kind: "doc", id: "d7" } });
    const otherResource = hop("o", 31, { by: "alice", chain: ["agent-b"] }, { action: "delete", resource: { kind: "doc", id: "d8" } });
    const otherAction = hop("x", 32, { by: "alice", chain: ["agent-b"] }, { action: "read", resource: { kind: "doc", id: "d7" } });
    const flags = flagsOf([denied, retried, otherResource, otherAction]);
    expect(["r", "o", "x"].map((id) => codes(flags, id))).toEqual([[], [], []]);
  });

  it("counted in the task's flag summary", () => {
    const allowed = hop("a", 30, { by: "alice", chain: ["agent-b"], taskId: "t" }, { action: "delete", resource: { kind: "doc", id: "d7" } });
    const [task] = correlateTasks([{ ...denied, facts: { ...denied.facts, taskId: "t" } }, allowed]);
    expect(task.flags).toEqual({ deny_then_allow_elsewhere: 1 });
  });
});

it("a clean hop has no flags at all", () => {
  const h = hop("h", 0, { initiatingHuman: human("alice"), chain: ["agent-a"], delegatedScopes: ["r"], audience: ["https://api"], target: { uri: "https://api" } });
  expect(flagsOf([h]).size).toBe(0);
});
