import { describe, expect, it } from "vitest";
import { parseDecisionLog, type ParsedRecord } from "../formats/index.ts";
import { generateDemoLogs } from "./index.ts";

const demo = generateDemoLogs({ seed: 7, count: 4000 });
const cerbos = parseDecisionLog(demo.cerbosNdjson);
const opa = parseDecisionLog(demo.opaEvents);
const all: ParsedRecord[] = [...cerbos.records, ...opa.records];
const hops = all.flatMap((r) => r.hops);

describe("generateDemoLogs", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generateDemoLogs({ seed: 42, count: 500 });
    const b = generateDemoLogs({ seed: 42, count: 500 });
    const c = generateDemoLogs({ seed: 43, count: 500 });
    expect(a.cerbosNdjson.equals(b.cerbosNdjson)).toBe(true);
    expect(a.opaEvents.equals(b.opaEvents)).toBe(true);
    expect(a.cerbosNdjson.equals(c.cerbosNdjson)).toBe(false);
  });

  it("every generated item parses with zero rejections", () => {
    expect(cerbos.rejected).toEqual([]);
    expect(opa.rejected).toEqual([]);
    expect(cerbos.records.every((r) => r.format === "cerbos.file")).toBe(true);
    expect(opa.records.every((r) => r.format === "opa.event")).toBe(true);
  });

  it("produces exactly `count` decision records plus the access entries", () => {
    const decisions = all.filter((r) => r.kind === "decision").length;
    expect(decisions).toBe(4000);
    expect(demo.stats.cerbosDecisions + demo.stats.opaEvents).toBe(4000);
    expect(cerbos.records.filter((r) => r.kind === "access").length).toBe(demo.stats.cerbosAccess);
    const pdpLines = Object.values(demo.cerbosByPdp).reduce((n, b) => n + b.toString().split("\n").filter(Boolean).length, 0);
    expect(pdpLines).toBe(cerbos.records.length);
  });

  it("uses the real identifier and time shapes", () => {
    const ulid = /^[0-9A-HJKMNP-TV-Z]{26}$/;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const rfc3339ns = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
    expect(cerbos.records.every((r) => ulid.test(r.recordKey!) && rfc3339ns.test(r.entry.timestamp as string))).toBe(true);
    expect(opa.records.every((r) => uuid.test(r.recordKey!) && rfc3339ns.test(r.entry.timestamp as string))).toBe(true);
    // Access and decision entries pair up by callId, except calls rejected in the handler.
    const kinds = new Map<string, string[]>();
    for (const r of cerbos.records) kinds.set(r.recordKey!, [...(kinds.get(r.recordKey!) ?? []), r.kind]);
    const accessOnly = [...kinds.values()].filter((k) => k.length === 1);
    expect(accessOnly.every((k) => k[0] === "access")).toBe(true);
    expect(accessOnly.length).toBe(demo.stats.cerbosAccessOnly);
    expect([...kinds.values()].filter((k) => k.length === 2).length).toBe(demo.stats.cerbosDecisions);
  });

  it("has a realistic mix: deny rate, NO_MATCH, errors, plans, derived roles, outputs, versions, PDPs", () => {
    const denyRate = hops.filter((h) => h.effect === "deny").length / hops.length;
    expect(denyRate).toBeGreaterThan(0.15);
    expect(denyRate).toBeLessThan(0.3);
    expect(hops.some((h) => h.policy === "NO_MATCH")).toBe(true);
    expect(hops.some((h) => h.effect === "conditional" && h.method === "PlanResources")).toBe(true);
    expect(hops.some((h) => h.effect === "error")).toBe(true);
    expect(hops.some((h) => h.derivedRoles.includes("delegated_agent"))).toBe(true);
    const text = demo.cerbosNdjson.toString();
    expect(text.includes('"evaluationErrors":[{"celError"')).toBe(true);
    expect(text.includes('"outputs":[{"src":"resource.')).toBe(true);
    expect(new Set(hops.filter((h) => h.method === "CheckResources").map((h) => h.policySourceRef)).size).toBe(3);
    expect(new Set(opa.records.map((r) => r.hops[0].policySourceRef)).size).toBe(3);
    expect(new Set(opa.records.map((r) => r.pdpInstance)).size).toBe(3);
    expect(new Set(hops.map((h) => h.resourceKind))).toEqual(new Set(["document", "payment", "ticket", "calendar_event", "mcp_tool", "envoy/authz/allow"]));
    expect(hops.some((h) => h.method === "CheckResources" && h.resourceKind === "mcp_tool")).toBe(true);
    expect(hops.filter((h) => h.actingAgent?.startsWith("agent:")).length).toBeGreaterThan(hops.length / 2);
  });

  it("includes the scope-widening payments incident across Cerbos and OPA under one task_id", () => {
    const incident = demo.incident!;
    expect(incident).toMatchObject({ human: "alice", agent: "agent:payments-bot", subAgent: "agent:fx-quoter", amount: 48_500 });
    const records = all.filter((r) => JSON.stringify(r.entry).includes(incident.taskId));
    expect(new Set(records.map((r) => r.engine))).toEqual(new Set(["cerbos", "opa"]));
    const decided = records.flatMap((r) => r.hops.map((h) => `${h.actingAgent} ${h.action} ${h.resourceId} ${h.effect}`));
    expect(decided).toEqual(
      expect.arrayContaining([
        `agent:payments-bot create ${incident.paymentId} allow`,
        `agent:fx-quoter approve ${incident.paymentId} allow`,
        "agent:fx-quoter invoke mcp://stripe/transfer allow",
        `agent:payments-bot execute ${incident.paymentId} allow`,
      ]),
    );
    const approval = records.find((r) => r.hops.some((h) => h.action === "approve"))!;
    const input = (approval.entry.checkResources as any).inputs[0];
    expect(input.auxData.jwt.act).toEqual({ sub: "agent:fx-quoter", act: { sub: "agent:payments-bot" } });
    expect(input.auxData.jwt.scope.split(" ")).toContain("payments:approve");
    expect(input.principal.attr.on_behalf_of).toBe("alice");
    const parentScopes = (records.find((r) => r.hops.some((h) => h.action === "create"))!.entry.checkResources as any).inputs[0].principal.attr.scopes;
    expect(parentScopes).not.toContain("payments:approve");
  });

  it("serves small counts without the incident and an empty count as valid empty outputs", () => {
    const small = generateDemoLogs({ seed: 1, count: 5 });
    expect(small.incident).toBeNull();
    expect(parseDecisionLog(small.opaEvents).rejected).toEqual([]);
    const none = generateDemoLogs({ seed: 1, count: 0 });
    expect(none.opaEvents.toString()).toBe("[]");
    expect(none.cerbosNdjson.length).toBe(0);
  });
});
