import { describe, expect, it } from "vitest";
import { flattenActClaim, readChainList } from "./act-chain.ts";
import { classifierFor, classifyActor, isSpiffeId, presenterMatchesActor, sameActor } from "./actors.ts";
import type { ActorRef } from "./types.ts";

const cls = classifierFor({});
const ref = (id: string, extra: Partial<ActorRef> = {}): ActorRef => ({ id, kind: "agent", source: "jwt.act", ...extra });

describe("actor classification", () => {
  it("defaults", () => {
    expect(classifyActor("spiffe://acme.prod/ns/a/sa/b", "subject", cls)).toBe("workload");
    expect(classifyActor("agent:planner", "subject", cls)).toBe("agent");
    expect(classifyActor("agent-7", "subject", cls)).toBe("agent");
    expect(classifyActor("research-subagent", "subject", cls)).toBe("agent");
    expect(classifyActor("alice@acme", "subject", cls)).toBe("human");
    expect(classifyActor("https://service16.example.com", "subject", cls)).toBe("unknown");
    expect(classifyActor("service77", "actor", cls)).toBe("agent");
    expect(classifyActor("cli-42", "client", cls)).toBe("client");
    expect(classifyActor("10.0.0.1:443", "presenter", cls)).toBe("unknown");
  });

  it("SPIFFE ids need a trust domain and a path", () => {
    expect(isSpiffeId("spiffe://td/x")).toBe(true);
    expect(isSpiffeId("spiffe://td")).toBe(false);
    expect(isSpiffeId("https://td/x")).toBe(false);
  });
});

describe("actor matching", () => {
  it("same actor by id (issuers agree when both known), client id or SPIFFE id", () => {
    expect(sameActor(ref("a", { iss: "x" }), ref("a"))).toBe(true);
    expect(sameActor(ref("a", { iss: "x" }), ref("a", { iss: "y" }))).toBe(false);
    expect(sameActor(ref("svc", { clientId: "cli" }), ref("cli"))).toBe(true);
  });

  it("SPIFFE presenter matches an actor named after its service account", () => {
    const p = ref("spiffe://acme/ns/agents/sa/research", { spiffeId: "spiffe://acme/ns/agents/sa/research", kind: "workload" });
    expect(presenterMatchesActor(p, ref("research-subagent"))).toBe(true);
    expect(presenterMatchesActor(p, ref("research"))).toBe(true);
    expect(presenterMatchesActor(p, ref("agent:research"))).toBe(true);
    expect(presenterMatchesActor(p, ref("researcher-agent"))).toBe(false);
    expect(presenterMatchesActor(p, ref("planner-agent"))).toBe(false);
  });
});

describe("chain readers", () => {
  it("hostile nesting depth is cut off and reported", () => {
    let act: Record<string, unknown> = { sub: "agent-0" };
    for (let i = 1; i < 40; i++) act = { sub: `agent-${i}`, act };
    const read = flattenActClaim(act, cls);
    expect(read.actors).toHaveLength(32);
    expect(read.actors[read.actors.length - 1].id).toBe("agent-39");
    expect(read.completeness).toBe("partial");
    expect(read.warnings).toEqual(["act nested deeper than 32 levels; the rest was ignored"]);
  });

  it("flat chains: arrays of ids or objects, or a separated string", () => {
    expect(readChainList(["alice", { sub: "a-1", iss: "x" }, { id: "a-2" }], cls, "principal.attr").map((a) => a.id)).toEqual(["alice", "a-1", "a-2"]);
    expect(readChainList("alice > planner-agent > research-agent", cls, "annotation").map((a) => a.id)).toEqual(["alice", "planner-agent", "research-agent"]);
    expect(readChainList(42, cls, "input")).toEqual([]);
  });
});
