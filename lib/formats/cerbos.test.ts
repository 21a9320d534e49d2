import { describe, expect, it } from "vitest";
import { parseDecisionLog } from "./index.ts";
import { fixture } from "./testdata/fixture.ts";

function parseOk(buf: Buffer | string) {
  const result = parseDecisionLog(Buffer.isBuffer(buf) ? buf : Buffer.from(buf));
  expect(result.rejected).toEqual([]);
  return result.records;
}

describe("Cerbos file backend lines", () => {
  it("parses the lab access + decision pair sharing a callId", () => {
    const [access, decision] = parseOk(fixture("cerbos-file-lab.ndjson"));
    expect(access).toMatchObject({ engine: "cerbos", kind: "access", format: "cerbos.file", recordKey: "01M84T5QHRW4BV8ES7YQ8A2HKZ", pdpInstance: null, hops: [] });
    expect(access.decidedAt.toISOString()).toBe("2026-11-23T18:19:58.392Z");
    expect(decision).toMatchObject({ kind: "decision", recordKey: "01M84T5QHRW4BV8ES7YQ8A2HKZ" });
    expect(decision.decidedAt.toISOString()).toBe("2026-11-23T18:19:58.393Z");
    expect(decision.hops.map((h) => [h.action, h.effect, h.policy])).toEqual([
      ["view", "allow", "resource.document.vdefault"],
      ["edit", "allow", "resource.document.vdefault"],
      ["delete", "allow", "resource.document.vdefault"],
      ["archive", "allow", "principal.alice.vdefault"],
    ]);
    expect(decision.hops[0]).toEqual({
      inputIndex: 0,
      action: "view",
      effect: "allow",
      principalId: "alice",
      roles: ["user"],
      actingAgent: null,
      resourceKind: "document",
      resourceId: "doc-1",
      policy: "resource.document.vdefault",
      scope: null,
      policyVersion: null,
      policySourceRef: null,
      derivedRoles: ["owner"],
      requestId: "task-42-step-1",
      method: "CheckResources",
    });
  });

  it("strips only the log.* envelope keys and keeps every other field", () => {
    const [access, decision] = parseOk(fixture("cerbos-file-lab.ndjson"));
    const lines = fixture("cerbos-file-lab.ndjson").toString().trim().split("\n");
    const original = JSON.parse(lines[1]);
    delete original["log.logger"];
    delete original["log.kind"];
    expect(decision.entry).toEqual(original);
    expect(Object.keys(access.entry)).toEqual(["callId", "peer", "timestamp", "metadata", "method", "policySource", "requestContext"]);
    expect(decision.raw.toString()).toBe(lines[1]);
  });

  it("keeps evaluation errors and outputs, and maps NO_MATCH denials", () => {
    const [errors, noMatch] = parseOk(fixture("cerbos-file-eval-errors.ndjson"));
    expect(errors.hops).toHaveLength(1);
    expect(errors.hops[0]).toMatchObject({ effect: "deny", actingAgent: "agent-a1", derivedRoles: ["delegated_agent"] });
    const out = (errors.entry.checkResources as any).outputs[0];
    expect(out.evaluationErrors).toHaveLength(3);
    expect(out.outputs[0].val).toBe("agent_blocked:agent-a1");
    expect(noMatch.hops[0]).toMatchObject({ effect: "deny", policy: "NO_MATCH", policyVersion: "v2", resourceKind: "invoice" });
  });

  it("reads the live git hash before the stale per-policy commit_hash, and act.sub from auxData.jwt", () => {
    const [record] = parseOk(fixture("cerbos-file-git.ndjson"));
    expect(record.hops.map((h) => [h.action, h.scope, h.policySourceRef, h.actingAgent])).toEqual([
      ["edit", "acme", "edff54b2c67935c6585154575e791b6aba910d59", "alice"],
      ["view", "acme", "edff54b2c67935c6585154575e791b6aba910d59", "alice"],
    ]);
  });

  it("falls back to the deciding policy's commit_hash, then to hub bundle ids", () => {
    const base = JSON.parse(fixture("cerbos-file-git.ndjson").toString());
    delete base.policySource.git.hash;
    expect(parseOk(JSON.stringify(base))[0].hops[0].policySourceRef).toBe("97bc31a1cdf70367d201a1ad3c082a998c6cb2a8");
    base.policySource = { hub: { remoteBundle: { deploymentId: "D1", bundleId: "B7" } } };
    expect(parseOk(JSON.stringify(base))[0].hops[0].policySourceRef).toBe("B7");
    base.policySource = { hub: { embeddedBundle: { ruleId: "r", bundleId: "E9" } } };
    expect(parseOk(JSON.stringify(base))[0].hops[0].policySourceRef).toBe("E9");
  });

  it("yields one hop per plan action with the filter kind as effect", () => {
    const [plan] = parseOk(fixture("cerbos-file-plan.ndjson"));
    expect(plan.hops).toEqual(
      ["view", "edit"].map((action) => ({
        inputIndex: 0,
        action,
        effect: "conditional",
        principalId: "agent-a1",
        roles: ["agent"],
        actingAgent: "agent-a1",
        resourceKind: "document",
        resourceId: null,
        policy: null,
        scope: null,
        policyVersion: null,
        policySourceRef: null,
        derivedRoles: [],
        requestId: "task-42-plan-1",
        method: "PlanResources",
      })),
    );
    const entry = JSON.parse(fixture("cerbos-file-plan.ndjson").toString());
    for (const [kind, effect] of [["KIND_ALWAYS_ALLOWED", "allow"], ["KIND_ALWAYS_DENIED", "deny"]]) {
      entry.planResources.output.filter = { kind };
      expect(parseOk(JSON.stringify(entry))[0].hops[0].effect).toBe(effect);
    }
    delete entry.planResources.input.actions;
    entry.planResources.input.action = "view"; // pre-0.44 single action
    expect(parseOk(JSON.stringify(entry))[0].hops.map((h) => h.action)).toEqual(["view"]);
  });
});

describe("Cerbos Admin API lines and bare entries", () => {
  it("unwraps {result:{accessLogEntry|decisionLogEntry}}", () => {
    const [access, decision] = parseOk(fixture("cerbos-admin.ndjson"));
    expect(access).toMatchObject({ kind: "access", format: "cerbos.admin", recordKey: "01M84TGK5Y3EERQ637YZ40E0MA" });
    expect(access.entry.statusCode).toBe(3);
    expect(access.entry).not.toHaveProperty("result");
    expect(decision).toMatchObject({ kind: "decision", format: "cerbos.admin" });
    expect(decision.hops[0]).toMatchObject({ action: "view", effect: "allow", policySourceRef: null });
  });

  it("parses the pretty-printed shared sample as one bare entry", () => {
    const bytes = fixture("shared-cerbos-decision-log.json");
    const [record] = parseOk(bytes);
    expect(record.format).toBe("cerbos.entry");
    expect(record.raw.equals(bytes.subarray(0, bytes.lastIndexOf("}") + 1))).toBe(true);
    expect(record.hops.map((h) => [h.action, h.effect, h.policyVersion])).toEqual([
      ["view:public", "allow", "20210210"],
      ["approve", "deny", "20210210"],
    ]);
  });

  it("parses pre-0.18 entries with top-level inputs/outputs", () => {
    const [record] = parseOk(fixture("cerbos-legacy-0.17.json"));
    expect(record.decidedAt.toISOString()).toBe("2022-04-01T09:30:00.123Z");
    expect(record.hops.map((h) => [h.method, h.action, h.effect, h.principalId])).toEqual([
      ["CheckResources", "view", "allow", "alicia"],
      ["CheckResources", "delete", "deny", "alicia"],
    ]);
  });

  it("treats a bare entry with callId + method as an access entry", () => {
    const [record] = parseOk('{"callId":"01X","timestamp":"2026-01-01T00:00:00Z","method":"/cerbos.svc.v1.CerbosService/PlanResources"}');
    expect(record).toMatchObject({ kind: "access", format: "cerbos.entry", hops: [] });
  });
});

describe("Cerbos input/output pairing", () => {
  const entry = (inputs: unknown[], outputs: unknown[], extra: object = {}) =>
    JSON.stringify({ callId: "01P", timestamp: "2026-01-01T00:00:00Z", checkResources: { inputs, outputs, ...extra } });
  const input = (id: string, actions: string[], requestId = "rq") => ({ requestId, principal: { id: "p", roles: ["r"] }, resource: { kind: "k", id }, actions });
  const output = (id: string, actions: Record<string, string>, requestId = "rq") => ({
    requestId,
    resourceId: id,
    actions: Object.fromEntries(Object.entries(actions).map(([a, e]) => [a, { effect: e, policy: "resource.k.vdefault" }])),
  });

  it("matches by resourceId when counts differ; unmatched inputs get 'unknown', extra outputs become hops", () => {
    const [record] = parseOk(entry([input("a", ["view"]), input("b", ["view"])], [output("b", { view: "EFFECT_DENY" })]));
    expect(record.hops.map((h) => [h.inputIndex, h.resourceId, h.effect])).toEqual([
      [0, "a", "unknown"],
      [1, "b", "deny"],
    ]);
    const [r2] = parseOk(entry([input("a", ["view"])], [output("z", { edit: "EFFECT_ALLOW" }), output("a", { view: "EFFECT_ALLOW" })]));
    expect(r2.hops.map((h) => [h.inputIndex, h.resourceId, h.action, h.effect])).toEqual([
      [0, "a", "view", "allow"],
      [1, "z", "edit", "allow"],
    ]);
  });

  it("adds hops for actions present on only one side", () => {
    const [record] = parseOk(entry([input("a", ["view", "edit"])], [output("a", { view: "EFFECT_ALLOW", delete: "EFFECT_DENY" })]));
    expect(record.hops.map((h) => [h.action, h.effect])).toEqual([
      ["view", "allow"],
      ["edit", "unknown"],
      ["delete", "deny"],
    ]);
  });

  it("never yields two hops for the same (input, action)", () => {
    const [record] = parseOk(entry([input("a", ["view", "view", "edit"])], [output("a", { view: "EFFECT_ALLOW", edit: "EFFECT_DENY" })]));
    expect(record.hops.map((h) => h.action)).toEqual(["view", "edit"]);
  });

  it("marks actions with no output as 'error' when the call failed", () => {
    const [record] = parseOk(entry([input("a", ["view"])], [], { error: "engine timeout" }));
    expect(record.hops[0].effect).toBe("error");
  });

  it("finds the acting agent in jwts, on_behalf_of, agent_id attr and annotations", () => {
    const withPrincipal = (principal: object, extra: object = {}) =>
      JSON.stringify({ callId: "01A", timestamp: "2026-01-01T00:00:00Z", checkResources: { inputs: [{ principal, resource: { kind: "k", id: "1" }, actions: ["a"] }] }, ...extra });
    const agentOf = (line: string) => parseOk(line)[0].hops[0].actingAgent;
    expect(agentOf(JSON.stringify({ callId: "01A", timestamp: "2026-01-01T00:00:00Z", checkResources: { inputs: [{ principal: { id: "x" }, auxData: { jwts: { mcp: { claims: { sub: "bob", act: { sub: "agent:sub", act: { sub: "agent:parent" } } } } } }, actions: ["a"] }] } }))).toBe("agent:sub");
    expect(agentOf(withPrincipal({ id: "agent:bot", attr: { on_behalf_of: "alice" } }))).toBe("agent:bot");
    expect(agentOf(withPrincipal({ id: "alice", attr: { agentId: "agent:helper" } }))).toBe("agent:helper");
    expect(agentOf(withPrincipal({ id: "alice" }, { requestContext: { annotations: { agent_id: "agent:annot" } } }))).toBe("agent:annot");
    expect(agentOf(withPrincipal({ id: "alice" }))).toBeNull();
  });
});
