import { describe, expect, it } from "vitest";
import { parseDecisionLog } from "./index.ts";
import { opaEffect } from "./opa-hops.ts";
import { fixture } from "./testdata/fixture.ts";

function parseOk(buf: Buffer | string) {
  const result = parseDecisionLog(Buffer.isBuffer(buf) ? buf : Buffer.from(buf));
  expect(result.rejected).toEqual([]);
  return result.records;
}

/** An unsigned compact JWT; parsers decode without verifying. */
function jwt(claims: object): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.sig`;
}

const event = (fields: object) =>
  JSON.stringify({ labels: { id: "opa-1", version: "1.2.0" }, decision_id: "d-1", path: "agents/tools/allow", timestamp: "2026-11-23T10:00:00.123456789Z", ...fields });

describe("OPA decision events", () => {
  it("parses the shared upload sample (string \"true\" result)", () => {
    const [record] = parseOk(fixture("shared-opa-decision-log.json"));
    expect(record).toMatchObject({ engine: "opa", kind: "decision", format: "opa.event", recordKey: "4ca636c1-55e4-417a-b1d8-4aceb67960d1", pdpInstance: "1780d507-aea2-45cc-ae50-fa153c8e4a5a" });
    expect(record.hops[0]).toEqual({
      inputIndex: 0,
      action: "GET",
      effect: "allow",
      principalId: null,
      roles: [],
      actingAgent: null,
      resourceKind: "http/example/authz/allow",
      resourceId: "/salary/bob",
      policy: "http/example/authz/allow",
      scope: null,
      policyVersion: null,
      policySourceRef: "authz=W3sibCI6InN5cy9jYXRhbG9nIiwicyI6NDA3MX1d",
      derivedRoles: [],
      requestId: null,
      method: "data",
    });
  });

  it("splits an upload array into elements with exact raw bytes", () => {
    const bytes = fixture("opa-upload-docs.json");
    const records = parseOk(bytes);
    expect(records).toHaveLength(2);
    const text = bytes.toString();
    const first = text.slice(text.indexOf("{"), text.indexOf("\n  },") + 4);
    expect(records[0].raw.toString()).toBe(first);
    expect(records[1].raw.toString().startsWith('{"decision_id":"b4638167')).toBe(true);
    expect(records[1].raw.toString().endsWith('"timestamp":"2019-06-03T20:07:16.939402185Z"}')).toBe(true);
    expect(JSON.parse(records[1].raw.toString())).toEqual(records[1].entry);
    expect(records[1].entry.erased).toEqual(["/input/ssn"]);
    expect(records[1].entry.masked).toEqual(["/input/password"]);
    expect(records[1].pdpInstance).toBeNull();
  });

  it("strips the console envelope (level/msg/type/time) and keeps everything else", () => {
    const [record] = parseOk(fixture("opa-console-candig.ndjson"));
    expect(record.format).toBe("opa.console");
    expect(record.entry).not.toHaveProperty("level");
    expect(record.entry).not.toHaveProperty("msg");
    expect(record.entry).not.toHaveProperty("type");
    expect(record.entry.metrics).toMatchObject({ timer_server_handler_ns: 8472125 });
    expect(record.entry.req_id).toBe(16);
    expect(record.hops[0]).toMatchObject({ effect: "allow", policy: "permissions", action: "permissions", requestId: "16" });
    expect(record.pdpInstance).toBe("628145ad-135b-4c4f-bd7e-b6776397b4a4");
  });

  it("recognises a console line by msg when a pipeline rewrote type", () => {
    const line = fixture("opa-console-candig.ndjson").toString().replace('"type":"openpolicyagent.org/decision_logs"', '"type":"app-log"');
    const [record] = parseOk(line);
    expect(record.format).toBe("opa.console");
    expect(record.entry).not.toHaveProperty("msg");
  });

  it("maps results to effects", () => {
    const cases: Array<[object, string]> = [
      [{ result: true }, "allow"],
      [{ result: "true" }, "allow"],
      [{ result: false }, "deny"],
      [{ result: "false" }, "deny"],
      [{ result: { allow: false, reasons: ["x"] } }, "deny"],
      [{ result: { allowed: true } }, "allow"],
      [{ result: { allow_request: true } }, "allow"],
      [{ result: { deny: true } }, "deny"],
      [{ result: { deny: false } }, "unknown"],
      [{ result: 42 }, "unknown"],
      [{}, "unknown"],
      [{ error: { code: "eval_conflict_error", message: "complete rules must not produce multiple outputs" } }, "error"],
    ];
    for (const [fields, effect] of cases) expect([fields, opaEffect(fields as never)]).toEqual([fields, effect]);
  });

  it("reads subject, resource, action and the acting agent from input and its JWT", () => {
    const token = jwt({ sub: "alice", scope: "payments:write", act: { sub: "agent:payments-bot", act: { sub: "agent:planner" } } });
    const [record] = parseOk(
      event({
        bundles: { tools: { revision: "r2" }, base: { revision: "r9" } },
        input: { action: "invoke", resource: { type: "mcp_tool", id: "stripe.transfer" }, token: `Bearer ${token}` },
        result: { allow: true },
        req_id: 7,
      }),
    );
    expect(record.hops[0]).toMatchObject({
      action: "invoke",
      effect: "allow",
      principalId: "alice",
      actingAgent: "agent:payments-bot",
      resourceKind: "mcp_tool",
      resourceId: "stripe.transfer",
      policySourceRef: "base=r9,tools=r2",
      requestId: "7",
    });
  });

  it("applies the documented fallbacks in order", () => {
    const hop = (fields: object) => parseOk(event(fields))[0].hops[0];
    expect(hop({ input: { subject: { id: "agent:x", roles: ["agent"], on_behalf_of: "bob" } } })).toMatchObject({ principalId: "agent:x", roles: ["agent"], actingAgent: "agent:x", action: "allow", resourceKind: "agents/tools/allow" });
    expect(hop({ input: { principal: { id: "p1", roles: ["r"] }, agent: { id: "agent:y" } } })).toMatchObject({ principalId: "p1", roles: ["r"], actingAgent: "agent:y" });
    expect(hop({ input: { user: "carol", path: ["finance", "salary", "bob"] } })).toMatchObject({ principalId: "carol", resourceId: "finance/salary/bob" });
    expect(hop({ input: { subject: "dave" } })).toMatchObject({ principalId: "dave" });
    expect(hop({ input: { token: "not-a-jwt" } })).toMatchObject({ principalId: null, actingAgent: null });
    expect(hop({ revision: "legacy-rev", input: { attributes: { request: { http: { method: "POST", path: "/v1/pay", headers: { authorization: `Bearer ${jwt({ sub: "erin" })}` } } } } } })).toMatchObject({
      action: "POST",
      resourceId: "/v1/pay",
      principalId: "erin",
      policySourceRef: "legacy-rev",
    });
  });

  it("handles Query API events", () => {
    const [record] = parseOk(JSON.stringify({ labels: { id: "o" }, decision_id: "q1", query: "data.x.allow == true", timestamp: "2026-01-01T00:00:00+02:00", result: [{ expressions: [] }] }));
    expect(record.decidedAt.toISOString()).toBe("2025-12-31T22:00:00.000Z");
    expect(record.hops[0]).toMatchObject({ method: "query", policy: "data.x.allow == true", action: "query", resourceKind: null, effect: "unknown" });
  });
});
