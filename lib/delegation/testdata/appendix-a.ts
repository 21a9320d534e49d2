// reference/delegation.md Appendix A: alice@acme → planner-agent → research-subagent → MCP tool
// crm.search, across two Cerbos hops and one OPA hop (Envoy in front of the MCP server).

import type { JsonObject } from "../../formats/types.ts";
import { compactJwt } from "./jwt.ts";

export const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
export const PLANNER_SPAN = "00f067aa0ba902b7";
export const RESEARCH_SPAN = "b7ad6b7169203331";

export const hop1Entry: JsonObject = {
  callId: "01KAAAAAAAAAAAAAAAAAAAAAAA",
  timestamp: "2026-09-01T10:00:01.120Z",
  peer: { address: "10.0.3.7:51234", forwardedFor: "spiffe://acme.prod/ns/agents/sa/planner" },
  checkResources: {
    inputs: [
      {
        principal: { id: "planner-agent", roles: ["agent"] },
        resource: { kind: "crm_record", id: "acct-42", policyVersion: "default" },
        actions: ["read"],
        auxData: {
          jwt: {
            iss: "https://idp.acme",
            sub: "alice@acme",
            aud: ["https://crm.acme"],
            scope: "crm.read",
            jti: "t-111",
            iat: 1788256800,
            act: { sub: "planner-agent", client_id: "agent-host" },
          },
        },
      },
    ],
    outputs: [{ resourceId: "acct-42", actions: { read: { effect: "EFFECT_ALLOW", policy: "resource.crm_record.vdefault" } } }],
  },
  requestContext: { annotations: { task_id: "task-9f3", traceparent: `00-${TRACE_ID}-${PLANNER_SPAN}-01` } },
  policySource: { git: { hash: "3f1c" } },
};

export const hop2Entry: JsonObject = {
  callId: "01KBBBBBBBBBBBBBBBBBBBBBBB",
  timestamp: "2026-09-01T10:00:04.500Z",
  peer: { address: "10.0.3.9:40000", forwardedFor: "spiffe://acme.prod/ns/agents/sa/research" },
  checkResources: {
    inputs: [
      {
        principal: { id: "research-subagent", roles: ["agent"] },
        resource: { kind: "crm_record", id: "acct-42" },
        actions: ["read"],
        auxData: {
          jwt: {
            iss: "https://idp.acme",
            sub: "alice@acme",
            aud: ["https://crm.acme"],
            scope: "crm.read",
            jti: "t-222",
            iat: 1788256803,
            act: { sub: "research-subagent", act: { sub: "planner-agent" } },
          },
        },
      },
    ],
    outputs: [{ resourceId: "acct-42", actions: { read: { effect: "EFFECT_ALLOW", policy: "resource.crm_record.vdefault" } } }],
  },
  requestContext: { annotations: { traceparent: `00-${TRACE_ID}-${RESEARCH_SPAN}-01`, parent_span_id: PLANNER_SPAN } },
};

export const hop3Token = compactJwt({
  iss: "https://idp.acme",
  sub: "alice@acme",
  aud: ["https://mcp.crm.acme"],
  scope: "crm.search",
  jti: "t-333",
  iat: 1788256806,
  act: { sub: "research-subagent", act: { sub: "planner-agent" } },
});

export const hop3Event: JsonObject = {
  labels: { id: "opa-mcp-gw" },
  decision_id: "d-333",
  trace_id: TRACE_ID,
  span_id: "a1b2c3d4e5f60718",
  timestamp: "2026-09-01T10:00:07.000Z",
  path: "envoy/authz/allow",
  input: {
    attributes: {
      source: { principal: "spiffe://acme.prod/ns/agents/sa/research" },
      request: {
        http: {
          method: "POST",
          host: "mcp.crm.acme",
          path: "/mcp",
          headers: {
            authorization: `Bearer ${hop3Token}`,
            "mcp-method": "tools/call",
            "mcp-name": "crm.search",
            traceparent: `00-${TRACE_ID}-${RESEARCH_SPAN}-01`,
          },
        },
      },
    },
  },
  result: { allowed: false, reason: "scope crm.search not delegated" },
};
