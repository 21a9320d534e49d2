import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseDecisionLog } from "../formats/index.ts";
import { extractDelegation } from "./extract.ts";
import { hop3Event, hop3Token, RESEARCH_SPAN, TRACE_ID } from "./testdata/appendix-a.ts";
import { compactJwt, SIGNATURE_MARKER, txnToken } from "./testdata/jwt.ts";
import { factsOf, opaEvent } from "./testdata/parse.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const ids = (actors: Array<{ id: string }>) => actors.map((a) => a.id);
const payloadOf = (token: string) => token.split(".")[1];

function expectNoRawToken(facts: unknown, token: string) {
  const json = JSON.stringify(facts);
  expect(json).not.toContain(SIGNATURE_MARKER);
  expect(json).not.toContain(payloadOf(token));
}

const access = compactJwt({ iss: "https://idp.acme", sub: "alice", aud: "https://api.acme", scope: "orders.read orders.list", jti: "j-1", iat: 1788256800, exp: 1788260400, act: { sub: "agent-shop" } });

describe("OPA: tokens found in input are decoded, hashed, never kept", () => {
  it("Appendix A hop 3: Envoy authorization header, SPIFFE source, MCP headers, trace ids", () => {
    const f = factsOf(hop3Event);
    expect(f.initiatingHuman).toMatchObject({ id: "alice@acme", kind: "human" });
    expect(ids(f.actorChain)).toEqual(["planner-agent", "research-subagent"]);
    expect(f.audience).toEqual(["https://mcp.crm.acme"]);
    expect(f.delegatedScopes).toEqual(["crm.search"]);
    expect(f.token).toMatchObject({ jti: "t-333", sha256: sha256(hop3Token), sigVerified: "unknown" });
    expect(f.trace).toMatchObject({ traceId: TRACE_ID, spanId: "a1b2c3d4e5f60718", parentSpanId: RESEARCH_SPAN });
    expect(f.presenter).toMatchObject({ id: "spiffe://acme.prod/ns/agents/sa/research", kind: "workload", source: "envoy.source.principal" });
    expect(f.target).toMatchObject({ tool: "crm.search", mcpMethod: "tools/call", mcpServer: "mcp.crm.acme", uri: "mcp.crm.acme" });
    expect(f.provenance).toMatchObject({
      token: "opa.input.attributes.request.http.headers.authorization",
      actorChain: "opa.input.attributes.request.http.headers.authorization.act",
      "trace.traceId": "opa.trace_id",
      "trace.spanId": "opa.span_id",
      "trace.parentSpanId": "opa.input.attributes.request.http.headers.traceparent",
      presenter: "opa.input.attributes.source.principal",
      "target.tool": "opa.input.attributes.request.http.headers.mcp-name",
    });
    expectNoRawToken(f, hop3Token);
  });

  it("input.token without a Bearer prefix", () => {
    const f = factsOf(opaEvent({ token: access, action: "read" }));
    expect(f.provenance.token).toBe("opa.input.token");
    expect(f.token).toEqual({
      typ: "JWT",
      iss: "https://idp.acme",
      aud: ["https://api.acme"],
      jti: "j-1",
      iat: "2026-09-01T10:00:00.000Z",
      exp: "2026-09-01T11:00:00.000Z",
      sha256: sha256(access),
      sigVerified: "unknown",
    });
    expect(f.actingAgent.id).toBe("agent-shop");
    expect(f.delegatedScopes).toEqual(["orders.read", "orders.list"]);
    expectNoRawToken(f, access);
  });

  it("input.headers.Authorization matches case-insensitively", () => {
    const f = factsOf(opaEvent({ headers: { Authorization: `Bearer ${access}` } }));
    expect(f.provenance.token).toBe("opa.input.headers.authorization");
    expect(f.token?.sha256).toBe(sha256(access));
  });

  it("Txn-Token header (draft-10) next to the access token", () => {
    const txn = txnToken({ txn: "97053963-771d", sub: "alice", aud: "acme.prod", scope: "orders.read", req_wl: "wl-frontend", tctx: { a: 1 }, iat: 1788256801 });
    const f = factsOf(opaEvent({ attributes: { request: { http: { headers: { authorization: `Bearer ${access}`, "txn-token": txn } } } } }));
    expect(f.txn).toEqual({ txn: "97053963-771d", reqWl: ["wl-frontend"], draftGen: "draft-10", purpose: "orders.read", tokenSha256: sha256(txn) });
    expect(f.provenance.txn).toBe("opa.input.attributes.request.http.headers.txn-token.txn");
    // aud of the access token, not the Txn-Token's trust domain.
    expect(f.audience).toEqual(["https://api.acme"]);
    expectNoRawToken(f, txn);
    expectNoRawToken(f, access);
  });

  it("Txn-Token header alone (draft-03, req_wl array) also gives sub/act and token facts", () => {
    const txn = txnToken({ txn: "t-03", sub: "alice", purp: "checkout", rctx: { req_wl: ["wl-a", "wl-b"] }, act: { sub: "agent-pay" } });
    const f = factsOf(opaEvent({ headers: { "Txn-Token": txn } }));
    expect(f.txn).toMatchObject({ txn: "t-03", reqWl: ["wl-a", "wl-b"], draftGen: "draft-03", purpose: "checkout" });
    expect(f.token).toMatchObject({ typ: "txntoken+jwt", sha256: sha256(txn) });
    expect(f.actingAgent.id).toBe("agent-pay");
    expect(f.delegatedScopes).toEqual(["checkout"]);
  });

  it("the same token reachable by two paths is counted once", () => {
    const f = factsOf(
      opaEvent(
        { attributes: { request: { http: { headers: { authorization: `Bearer ${access}` } } } } },
        { request_context: { http: { headers: { authorization: [`Bearer ${access}`] } } } },
      ),
    );
    expect(f.warnings).toEqual([]);
    expect(f.token?.sha256).toBe(sha256(access));
  });

  it("a non-JWT value at a token path is reported without echoing it", () => {
    const f = factsOf(opaEvent({ token: "opaque-secret-value", subject: { id: "agent-x" } }));
    expect(f.token).toBeNull();
    expect(f.warnings).toEqual(["opa.input.token holds a value that is not a compact JWT; ignored"]);
    expect(JSON.stringify(f)).not.toContain("opaque-secret-value");
  });

  it("configured token paths replace the defaults", () => {
    const event = opaEvent({ custom: { jwt: access }, token: compactJwt({ sub: "mallory" }) });
    const f = factsOf(event, { tokenPaths: ["input.custom.jwt"] });
    expect(f.provenance.token).toBe("opa.input.custom.jwt");
    expect(f.subject?.id).toBe("alice");
  });

  it("decoded token_claims and token_sha256 left by a PDP mask policy", () => {
    const f = factsOf(opaEvent({ token_claims: { sub: "alice", aud: ["https://mcp.crm.acme"], scope: "crm.search", act: { sub: "agent-r" } }, token_sha256: "ab".repeat(32) }));
    expect(f.actingAgent.id).toBe("agent-r");
    expect(f.token?.sha256).toBe("ab".repeat(32));
    expect(f.provenance.token).toBe("opa.input.token_claims");
  });
});

describe("OPA: subject fields, trace headers, presenter", () => {
  it("input.subject with on_behalf_of and a delegation chain", () => {
    const f = factsOf(opaEvent({ subject: { id: "agent-c", on_behalf_of: "alice", delegation_chain: ["alice", "agent-a", "agent-b"] } }));
    expect(f.initiatingHuman).toMatchObject({ id: "alice", source: "input" });
    expect(ids(f.actorChain)).toEqual(["agent-a", "agent-b", "agent-c"]);
    expect(f.chainSource).toBe("delegation_chain");
  });

  it("request_context.http.headers: traceparent and baggage (header value lists)", () => {
    const f = factsOf(
      opaEvent({}, { request_context: { http: { headers: { traceparent: [`00-${TRACE_ID}-${RESEARCH_SPAN}-01`], baggage: ["task_id=t-5"] } } } }),
    );
    expect(f.trace).toMatchObject({ traceId: TRACE_ID, spanId: RESEARCH_SPAN, parentSpanId: null });
    expect(f.taskId).toBe("t-5");
    expect(f.provenance["trace.traceId"]).toBe("opa.request_context.http.headers.traceparent");
  });

  it("input.context.task_id is an explicit task id", () => {
    expect(factsOf(opaEvent({ context: { task_id: "t-9" } })).provenance.taskId).toBe("opa.input.context.task_id");
  });

  it("XFCC header: the URI of the last element is the presenter", () => {
    const xfcc = 'By=spiffe://acme/ns/gw/sa/gw;Hash=abc;URI=spiffe://acme/ns/a/sa/first,By=spiffe://acme/ns/x/sa/mcp;Hash=def;URI="spiffe://acme/ns/agents/sa/research"';
    const f = factsOf(opaEvent({ headers: { "x-forwarded-client-cert": xfcc } }));
    expect(f.presenter).toMatchObject({ id: "spiffe://acme/ns/agents/sa/research", source: "xfcc", kind: "workload" });
  });

  it("requested_by address as presenter of last resort", () => {
    const f = factsOf(opaEvent({ user: "bob" }, { requested_by: "[::1]:59943" }));
    expect(f.presenter).toMatchObject({ id: "[::1]:59943", kind: "unknown" });
    expect(f.initiatingHuman?.id).toBe("bob");
    expect(f.actingAgent.id).toBe("bob");
  });

  it("B3 trace id is padded to 128 bits", () => {
    const f = factsOf(opaEvent({ headers: { "x-b3-traceid": "a3ce929d0e0e4736" } }));
    expect(f.trace.traceId).toBe("0000000000000000a3ce929d0e0e4736");
  });

  it("every hop of the recorded OPA fixtures extracts without throwing", () => {
    for (const name of ["opa-console-candig.ndjson", "opa-upload-docs.json", "shared-opa-decision-log.json"]) {
      const records = parseDecisionLog(readFileSync(new URL(`../formats/testdata/${name}`, import.meta.url))).records;
      expect(records.length).toBeGreaterThan(0);
      for (const r of records)
        for (const hop of r.hops) expect(() => extractDelegation({ engine: r.engine, entry: r.entry, inputIndex: 0, hop })).not.toThrow();
    }
  });
});

describe("OPA: trace parentage across traces", () => {
  it("an incoming traceparent of another trace is not the parent of OPA's own span", () => {
    const f = factsOf(opaEvent({ headers: { traceparent: `00-${"9".repeat(32)}-${RESEARCH_SPAN}-01` } }, { trace_id: TRACE_ID, span_id: "1".repeat(16) }));
    expect(f.trace).toMatchObject({ traceId: TRACE_ID, spanId: "1".repeat(16), parentSpanId: null });
  });
});
