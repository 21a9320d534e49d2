import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseDecisionLog } from "../formats/index.ts";
import { extractDelegation, extractRecordDelegation } from "./extract.ts";
import { hop1Entry, hop2Entry, PLANNER_SPAN, RESEARCH_SPAN, TRACE_ID } from "./testdata/appendix-a.ts";
import { cerbosEntry, factsOf, parseEntry } from "./testdata/parse.ts";

const ids = (actors: Array<{ id: string }>) => actors.map((a) => a.id);

describe("Cerbos: Appendix A hops", () => {
  it("hop 1: human from sub, agent from act, task id and trace from annotations", () => {
    const f = factsOf(hop1Entry);
    expect(f.initiatingHuman).toMatchObject({ id: "alice@acme", kind: "human", iss: "https://idp.acme", source: "jwt.sub" });
    expect(f.actingAgent).toMatchObject({ id: "planner-agent", kind: "agent", clientId: "agent-host", source: "jwt.act" });
    expect(ids(f.actorChain)).toEqual(["planner-agent"]);
    expect(f.chainCompleteness).toBe("full");
    expect(f.chainSource).toBe("act");
    expect(f.taskId).toBe("task-9f3");
    expect(f.trace).toMatchObject({ traceId: TRACE_ID, spanId: PLANNER_SPAN, parentSpanId: null });
    expect(f.presenter).toMatchObject({ id: "spiffe://acme.prod/ns/agents/sa/planner", kind: "workload", source: "peer" });
    expect(f.audience).toEqual(["https://crm.acme"]);
    expect(f.delegatedScopes).toEqual(["crm.read"]);
    expect(f.token).toEqual({
      typ: null,
      iss: "https://idp.acme",
      aud: ["https://crm.acme"],
      jti: "t-111",
      iat: "2026-09-01T10:00:00.000Z",
      exp: null,
      sha256: null,
      sigVerified: "unknown",
    });
    expect(f.target).toMatchObject({ kind: "crm_record", id: "acct-42" });
    expect(f.provenance).toMatchObject({
      initiatingHuman: "cerbos.auxData.jwt.sub",
      actorChain: "cerbos.auxData.jwt.act",
      actingAgent: "cerbos.auxData.jwt.act",
      taskId: "annotation.task_id",
      "trace.traceId": "annotation.traceparent",
      presenter: "cerbos.peer.forwardedFor",
      delegatedScopes: "cerbos.auxData.jwt.scope",
      token: "cerbos.auxData.jwt",
    });
  });

  it("hop 2: nested act reversed to origin→current; parent span from annotation", () => {
    const f = factsOf(hop2Entry);
    expect(ids(f.actorChain)).toEqual(["planner-agent", "research-subagent"]);
    expect(f.actingAgent.id).toBe("research-subagent");
    expect(f.taskId).toBeNull();
    expect(f.trace).toMatchObject({ traceId: TRACE_ID, spanId: RESEARCH_SPAN, parentSpanId: PLANNER_SPAN });
    expect(f.provenance["trace.parentSpanId"]).toBe("annotation.parent_span_id");
  });
});

describe("Cerbos: act chains", () => {
  const withJwt = (jwt: Record<string, unknown>) => factsOf(cerbosEntry({ auxData: { jwt } } as never));

  it("three levels deep, least recent innermost", () => {
    const f = withJwt({ sub: "alice", act: { sub: "agent-c", act: { sub: "agent-b", act: { sub: "agent-a" } } } });
    expect(ids(f.actorChain)).toEqual(["agent-a", "agent-b", "agent-c"]);
    expect(f.actingAgent.id).toBe("agent-c");
    expect(f.initiatingHuman?.id).toBe("alice");
    expect(f.chainCompleteness).toBe("full");
    expect(f.actorChain.every((a) => a.kind === "agent" && a.source === "jwt.act")).toBe(true);
  });

  it("keeps extra members (iss, client_id) and ignores exp/aud inside act", () => {
    const f = withJwt({ sub: "alice", act: { sub: "svc-7", iss: "https://sts.acme", client_id: "cli-9", exp: 1, aud: "x", foo: "bar" } });
    expect(f.actorChain).toEqual([{ id: "svc-7", iss: "https://sts.acme", clientId: "cli-9", kind: "agent", source: "jwt.act" }]);
    expect(f.chainCompleteness).toBe("full");
  });

  it("a level without sub is skipped and makes the chain partial", () => {
    const f = withJwt({ sub: "alice", act: { sub: "agent-c", act: { iss: "https://sts.acme", act: { sub: "agent-a" } } } });
    expect(ids(f.actorChain)).toEqual(["agent-a", "agent-c"]);
    expect(f.chainCompleteness).toBe("partial");
    expect(f.warnings).toContain("act at depth 1 has no sub or client_id");
  });

  it("non-object nesting: a bare id is tolerated, a number is a hole", () => {
    expect(ids(withJwt({ sub: "alice", act: { sub: "agent-c", act: "agent-b" } }).actorChain)).toEqual(["agent-b", "agent-c"]);
    const f = withJwt({ sub: "alice", act: { sub: "agent-c", act: 42 } });
    expect(ids(f.actorChain)).toEqual(["agent-c"]);
    expect(f.chainCompleteness).toBe("partial");
  });

  it("missing nesting: a single act is a one-actor chain", () => {
    const f = withJwt({ sub: "alice", act: { sub: "research-subagent" } });
    expect(ids(f.actorChain)).toEqual(["research-subagent"]);
    expect(f.chainCompleteness).toBe("full");
  });

  it("a level committing to hidden actors marks the chain committed", () => {
    const f = withJwt({ sub: "alice", act: { sub: "agent-c", act: { chain_digest: "sha256:ab12" } } });
    expect(ids(f.actorChain)).toEqual(["agent-c"]);
    expect(f.chainCompleteness).toBe("committed");
  });

  it("act as an array is read origin→current and marked partial", () => {
    const f = withJwt({ sub: "alice", act: [{ sub: "agent-a" }, { sub: "agent-b" }] });
    expect(ids(f.actorChain)).toEqual(["agent-a", "agent-b"]);
    expect(f.chainCompleteness).toBe("partial");
  });

  it("may_act as object or array", () => {
    expect(withJwt({ sub: "alice", may_act: { sub: "planner-agent" }, act: { sub: "planner-agent" } }).mayAct).toEqual([
      { id: "planner-agent", kind: "agent", source: "jwt.may_act" },
    ]);
    expect(ids(withJwt({ sub: "alice", may_act: [{ sub: "a-1" }, { client_id: "cli-2" }] }).mayAct ?? [])).toEqual(["a-1", "cli-2"]);
    expect(withJwt({ sub: "alice" }).mayAct).toBeNull();
  });

  it("client-as-actor fallback (ID-JAG: no act, agent only as client_id/azp)", () => {
    const f = withJwt({ sub: "alice", client_id: "mcp-client-1", scp: ["crm.read", "crm.write"] });
    expect(f.actorChain).toEqual([{ id: "mcp-client-1", kind: "client", source: "jwt.client_id" }]);
    expect(f.chainSource).toBe("client");
    expect(f.delegatedScopes).toEqual(["crm.read", "crm.write"]);
    expect(f.provenance.delegatedScopes).toBe("cerbos.auxData.jwt.scp");
  });

  it("autonomous agent token: sub is the agent, no human", () => {
    const f = withJwt({ sub: "agent-nightly", iss: "https://idp.acme" });
    expect(f.initiatingHuman).toBeNull();
    expect(f.actingAgent).toMatchObject({ id: "agent-nightly", kind: "agent", source: "jwt.sub" });
    expect(f.chainCompleteness).toBe("none");
  });

  it("reads named tokens from auxData.jwts", () => {
    const f = factsOf(cerbosEntry({ auxData: { jwts: { access: { claims: { sub: "alice", act: { sub: "agent-z" } } } } } } as never));
    expect(f.actingAgent.id).toBe("agent-z");
    expect(f.provenance.actorChain).toBe("cerbos.auxData.jwts.access.claims.act");
  });
});

describe("Cerbos: Txn-Tokens in both draft generations", () => {
  it("draft-03: purp, azd, rctx.req_wl as a string", () => {
    const txn = { txn: "txn-1", sub: "alice", purp: "crm.read", azd: { acct: "42" }, rctx: { req_wl: "wl-gateway", req_ip: "10.0.0.1" } };
    const f = factsOf(cerbosEntry({ auxData: { jwts: { txn: { claims: txn } } } } as never));
    expect(f.txn).toEqual({ txn: "txn-1", reqWl: ["wl-gateway"], draftGen: "draft-03", purpose: "crm.read", tokenSha256: null });
    expect(f.provenance["txn.reqWl"]).toBe("cerbos.auxData.jwts.txn.claims.rctx.req_wl");
    expect(f.delegatedScopes).toEqual(["crm.read"]);
  });

  it("draft-03 replacement: rctx.req_wl becomes an array (pathing)", () => {
    const txn = { txn: "txn-1", sub: "alice", purp: "p", rctx: { req_wl: ["wl-gateway", "wl-orders"] } };
    expect(factsOf(cerbosEntry({ auxData: { jwt: txn } } as never)).txn?.reqWl).toEqual(["wl-gateway", "wl-orders"]);
  });

  it("draft-10: scope, tctx, top-level req_wl; agent in act (tokens-for-agents)", () => {
    const txn = { txn: "txn-2", sub: "alice", scope: "orders.read", tctx: { amount: 5 }, req_wl: "wl-api", act: { sub: "agent-shop" } };
    const f = factsOf(cerbosEntry({ auxData: { jwt: txn } } as never));
    expect(f.txn).toMatchObject({ txn: "txn-2", reqWl: ["wl-api"], draftGen: "draft-10", purpose: "orders.read" });
    expect(f.actingAgent.id).toBe("agent-shop");
    expect(f.initiatingHuman?.id).toBe("alice");
    expect(f.delegatedScopes).toEqual(["orders.read"]);
  });

  it("draft-10 req_wl given as an array is tolerated", () => {
    const txn = { txn: "txn-3", sub: "alice", scope: "s", req_wl: ["wl-a", "wl-b"] };
    expect(factsOf(cerbosEntry({ auxData: { jwt: txn } } as never)).txn).toMatchObject({ reqWl: ["wl-a", "wl-b"], draftGen: "draft-10" });
  });

  it("txn id only from an annotation", () => {
    const f = factsOf(cerbosEntry({}, { requestContext: { annotations: { txn: "txn-9" } } }));
    expect(f.txn).toEqual({ txn: "txn-9", reqWl: [], draftGen: "unknown", purpose: null, tokenSha256: null });
    expect(f.provenance.txn).toBe("annotation.txn");
  });
});

describe("Cerbos: principal attributes, annotations, metadata", () => {
  it("on_behalf_of names the human; the principal is the acting agent", () => {
    const f = factsOf(cerbosEntry({ principal: { id: "agent-a1", roles: ["agent"], attr: { on_behalf_of: "alice" } } }));
    expect(f.initiatingHuman).toMatchObject({ id: "alice", kind: "human", source: "principal.attr" });
    expect(f.actingAgent).toMatchObject({ id: "agent-a1", kind: "agent", source: "principal.id" });
    expect(f.chainSource).toBe("on_behalf_of");
    expect(f.provenance.initiatingHuman).toBe("principal.attr.on_behalf_of");
  });

  it("delegationChain attribute (array) with the human first; principal appended as current", () => {
    const f = factsOf(cerbosEntry({ principal: { id: "research-agent", attr: { delegationChain: ["alice", "planner-agent"], taskId: "t-77" } } }));
    expect(f.initiatingHuman?.id).toBe("alice");
    expect(ids(f.actorChain)).toEqual(["planner-agent", "research-agent"]);
    expect(f.taskId).toBe("t-77");
    expect(f.provenance.taskId).toBe("principal.attr.taskId");
  });

  it("agent_id annotation with a human principal: the agent is recorded, no delegation", () => {
    const f = factsOf(cerbosEntry({ principal: { id: "alice", roles: ["user"] } }, { requestContext: { annotations: { agent_id: "agent-x" } } }));
    expect(f.initiatingHuman?.id).toBe("alice");
    expect(f.actingAgent).toMatchObject({ id: "agent-x", source: "annotation" });
    expect(f.chainSource).toBe("principal");
  });

  it("traceparent and baggage from allow-listed metadata; task id from baggage; MCP annotations", () => {
    const f = factsOf(
      cerbosEntry(
        { resource: { kind: "mcp_tool", id: "crm.search", attr: { mcp_server: "https://mcp.crm.acme" } } },
        {
          metadata: {
            traceparent: { values: [`00-${TRACE_ID}-${PLANNER_SPAN}-01`] },
            baggage: { values: ["task.id=task%2042,user=alice;p=1"] },
            tracestate: { values: ["congo=t61rcWkgMzE"] },
          },
          requestContext: { annotations: { "mcp.method": "tools/call", "mcp.name": "crm.search" } },
        },
      ),
    );
    expect(f.trace).toEqual({ traceId: TRACE_ID, spanId: PLANNER_SPAN, parentSpanId: null, baggage: { "task.id": "task 42", user: "alice" }, tracestate: "congo=t61rcWkgMzE" });
    expect(f.taskId).toBe("task 42");
    expect(f.provenance.taskId).toBe("metadata.baggage.task.id");
    expect(f.target).toEqual({ kind: "mcp_tool", id: "crm.search", tool: "crm.search", mcpServer: "https://mcp.crm.acme", mcpMethod: "tools/call", uri: null });
  });

  it("malformed traceparent is ignored, not half-used", () => {
    const f = factsOf(cerbosEntry({}, { requestContext: { annotations: { traceparent: "00-xyz-123-01" } } }));
    expect(f.trace.traceId).toBeNull();
  });

  it("plain peer address presenter is kept as unknown kind", () => {
    const f = factsOf(cerbosEntry({}, { peer: { address: "10.1.2.3:5555" } }));
    expect(f.presenter).toMatchObject({ id: "10.1.2.3:5555", kind: "unknown", source: "peer" });
  });

  it("every hop of the recorded lab fixtures extracts without throwing", () => {
    for (const name of ["cerbos-file-lab.ndjson", "cerbos-file-git.ndjson", "cerbos-file-plan.ndjson", "cerbos-file-eval-errors.ndjson", "cerbos-admin.ndjson"]) {
      const records = parseDecisionLog(readFileSync(new URL(`../formats/testdata/${name}`, import.meta.url))).records;
      for (const r of records)
        for (const hop of r.hops) {
          const f = extractDelegation({ engine: r.engine, entry: r.entry, inputIndex: hop.inputIndex, hop });
          expect(f.actingAgent.id).not.toBe("");
        }
    }
  });

  it("lab: task-42, delegation_chain annotation naming alice, agent r1 only in metadata x-agent-id", () => {
    const records = parseDecisionLog(readFileSync(new URL("../formats/testdata/cerbos-file-lab.ndjson", import.meta.url))).records;
    const decision = records.find((r) => r.kind === "decision")!;
    const f = extractDelegation({ engine: "cerbos", entry: decision.entry, inputIndex: 0, hop: decision.hops[0] });
    expect(f.taskId).toBe("task-42");
    expect(f.initiatingHuman?.id).toBe("alice");
    expect(f.actingAgent).toMatchObject({ id: "r1", kind: "agent", source: "input" });
    expect(f.provenance.actingAgent).toBe("metadata.x-agent-id");
    expect(f.chainSource).toBe("principal");
  });
});

describe("whole records", () => {
  it("extractRecordDelegation aligns with record.hops and shares facts per input", () => {
    const entry = cerbosEntry({ actions: ["read", "write"], auxData: { jwt: { sub: "alice", act: { sub: "agent-q" } } } } as never);
    const record = parseEntry(entry);
    const facts = extractRecordDelegation(record);
    expect(facts).toHaveLength(record.hops.length);
    expect(facts[0]).toBe(facts[1]);
    expect(facts[0].actingAgent.id).toBe("agent-q");
  });
});
