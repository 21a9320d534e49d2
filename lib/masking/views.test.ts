import { describe, expect, it } from "vitest";
import { buildDelegationGraph } from "../views/delegation-graph.ts";
import { buildSwimlanes } from "../views/swimlanes.ts";
import { hop, INCIDENT } from "../views/testdata.ts";
import type { TaskDetail, TaskHopView } from "../tasks/queries.ts";
import { hopDocument, hopDocumentValue, maskHopRow } from "./hop-document.ts";
import { maskJwtClaims, maskRawText } from "./record.ts";
import { BUILTIN_RULE_SET, ruleSetOf } from "./rules.ts";
import { maskTaskView, taskHopDocument } from "./task-view.ts";

describe("hop document", () => {
  it("puts hop columns and delegation facts where the rules can name them (token facts renamed)", () => {
    const doc = hopDocument({ principalId: "p", roles: ["r"], actingAgent: "a", resourceKind: "k", resourceId: "i", facts: { token: { jti: "j" }, presenter: { id: "10.0.0.1" } } });
    expect(doc).toEqual({ principal: { id: "p", roles: ["r"] }, actingAgent: "a", resource: { kind: "k", id: "i" }, delegation: { presenter: { id: "10.0.0.1" }, tokenFacts: { jti: "j" } } });
    expect(hopDocumentValue({ facts: { presenter: { id: "x" } } }, "/delegation/presenter/id")).toBe("x");
  });

  it("masks row fields and reports their pointers; a rule on a parent covers the field", () => {
    const row = { id: "7", principalId: "carol@acme.example", actingAgent: "agent:x", resourceKind: "payment", resourceId: "pay-1", roles: ["user", "10.1.1.1"], action: "view" };
    const { row: out, masked } = maskHopRow(row, BUILTIN_RULE_SET);
    expect(out).toEqual({ ...row, principalId: "•••• masked (email)", roles: ["user", "•••• masked (ip)"] });
    expect(masked).toEqual({ principalId: { label: "email", pointer: "/principal/id" }, "roles.1": { label: "ip", pointer: "/principal/roles/1" } });
    expect(maskHopRow(row, ruleSetOf(["resource"])).masked).toEqual({
      resourceKind: { label: "resource", pointer: "/resource/kind" },
      resourceId: { label: "resource", pointer: "/resource/id" },
    });
    expect(maskHopRow({ principalId: "alice" }, BUILTIN_RULE_SET).masked).toEqual({});
  });
});

describe("records", () => {
  it("raw Cerbos Admin API lines anchor $ at the wrapped entry", () => {
    const raw = JSON.stringify({ result: { decisionLogEntry: { callId: "c", peer: { address: "10.0.0.9" } } } });
    const { masked } = maskRawText(raw, "cerbos.admin", ruleSetOf(["$.callId", "peer.address"]));
    expect(masked.map((m) => m.path)).toEqual(["result.decisionLogEntry.callId", "result.decisionLogEntry.peer.address"]);
  });

  it("bytes that are not JSON are withheld whole; nothing to mask leaves them unchanged", () => {
    expect(maskRawText("not json {", "cerbos.file", BUILTIN_RULE_SET)).toMatchObject({ value: null, text: "•••• masked (not JSON: cannot be checked)", unchanged: false });
    expect(maskRawText('{"a":1}', "cerbos.file", BUILTIN_RULE_SET)).toMatchObject({ unchanged: true, masked: [] });
  });

  it("decoded JWT claims are masked as auxData.jwt claims", () => {
    const { value, masked } = maskJwtClaims({ sub: "bob", email: "bob@x.example", jti: "j" }, ruleSetOf(["auxData.jwt.jti", "detect:email"]));
    expect(value).toEqual({ sub: "bob", email: "•••• masked (email)", jti: "•••• masked (jti)" });
    expect(masked.map((m) => [m.pointer, m.path])).toEqual([
      ["/email", "email"],
      ["/jti", "jti"],
    ]);
  });
});

const forHuman = (h: TaskHopView, human: string): TaskHopView => ({
  ...h,
  initiatingHuman: human,
  facts: { ...h.facts, initiatingHuman: { id: human, kind: "human", source: "jwt.sub" } } as TaskHopView["facts"],
});

describe("task view", () => {
  it("masks the presenter address everywhere the page shows it, with the hop's pointer for Reveal", () => {
    const { model, fields, task } = maskTaskView(INCIDENT, buildSwimlanes(INCIDENT), BUILTIN_RULE_SET);
    expect(model.hops.every((h) => h.presenter === "•••• masked (ip #1)")).toBe(true);
    expect(fields[model.hops[0].hopId].presenter).toEqual({ label: "ip", pointer: "/delegation/presenter/id" });
    expect(task.initiatingHuman).toBe("alice");
    expect(JSON.stringify({ model, task })).not.toContain("10.0.0.1");
    expect(taskHopDocument(INCIDENT.hops[0]).delegation).toBeDefined();
  });

  it("keeps distinct masked people distinct: lanes, chains, graph nodes, summary, flag texts", () => {
    const t: TaskDetail = {
      ...INCIDENT,
      initiatingHuman: "alice@acme.example",
      actors: ["alice@acme.example", "bob@acme.example"],
      hops: [
        forHuman(hop({ hopId: "1", decidedAt: "2026-11-22T03:12:00.000Z", chain: ["agent:a"], scopes: [] }), "alice@acme.example"),
        {
          ...forHuman(hop({ hopId: "2", decidedAt: "2026-11-22T03:12:05.000Z", chain: ["agent:a"], scopes: [] }), "bob@acme.example"),
          flags: [{ code: "scope_widened", reason: "bob@acme.example holds more than alice@acme.example", relatedHopIds: ["1"] }] as never,
        },
      ],
    };
    const { model, task, fields } = maskTaskView(t, buildSwimlanes(t), BUILTIN_RULE_SET);
    const people = model.hops.map((h) => h.chain[0].id);
    expect(people).toEqual(["•••• masked (email #1)", "•••• masked (email #2)"]);
    expect(fields["2"]["chain.0"]).toEqual({ label: "email", pointer: "/initiatingHuman" });
    expect(task.hops).toEqual([]); // the unmasked hops do not travel with the masked view
    expect(task.actors).toEqual(["•••• masked (email #1)", "•••• masked (email #2)"]);
    expect(model.hops[1].flags[0].reason).toBe("•••• masked (email #2) holds more than •••• masked (email #1)");
    const graph = buildDelegationGraph(model.hops);
    expect(JSON.stringify(graph)).not.toContain("@acme.example");
    expect(JSON.stringify(model)).not.toContain("@acme.example");
  });
});
