import { describe, expect, it } from "vitest";
import { buildDelegationGraph } from "./delegation-graph.ts";
import { FLAG_CODES } from "./flag-codes.ts";
import { buildSwimlanes, inferredHopIds } from "./swimlanes.ts";
import { decodeTaskCursor, encodeTaskCursor, parseTaskListParams, taskHref, taskListHref, toTaskFilters } from "./task-list-params.ts";
import { INCIDENT } from "./testdata.ts";
import { parseZoom, timeTicks, zoomAround } from "./time-scale.ts";

describe("tasks list URL state", () => {
  it("round-trips filters and the keyset cursor", () => {
    const after = { lastAt: "2026-11-22T03:12:12.671Z", taskKey: "task:task-ä" };
    const href = taskListHref({ filters: { human: "alice", flag: "scope_widened", from: "2026-11-22T00:00" }, limit: 25 }, after);
    const parsed = parseTaskListParams(new URLSearchParams(href.split("?")[1]));
    expect(parsed).toEqual({ ok: true, query: { filters: { human: "alice", flag: "scope_widened", from: "2026-11-22T00:00" }, after, limit: 25 } });
    expect(decodeTaskCursor(encodeTaskCursor(after))).toEqual(after);
  });

  it("names bad parameters", () => {
    const parsed = parseTaskListParams({ from: "yesterday", flag: "DROP TABLE", after: "zz!", limit: "0" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = parsed.errors.join("\n");
    expect(text).toMatch(/`from`.*date-time/);
    expect(text).toMatch(/`flag`.*flag code/);
    expect(text).toMatch(/`after`.*cursor/);
    expect(text).toMatch(/`limit`/);
  });

  it("reads `to` as the whole minute or day it names, and encodes task keys in paths", () => {
    expect(toTaskFilters({ to: "2026-11-22" }).to?.toISOString()).toBe("2026-11-22T23:59:59.999Z");
    expect(toTaskFilters({ to: "2026-11-22T03:12" }).to?.toISOString()).toBe("2026-11-22T03:12:59.999Z");
    expect(taskHref("task:a/b", "7")).toBe("/tasks/task%3Aa%2Fb?hop=7");
  });

  it("knows every flag code", () => {
    expect(FLAG_CODES).toContain("scope_widened");
  });
});

describe("time scale", () => {
  it("picks round UTC ticks", () => {
    const ticks = timeTicks({ from: Date.parse("2026-11-22T03:12:00Z"), to: Date.parse("2026-11-22T03:12:10Z") }, 6);
    expect(ticks.map((t) => t.label)).toEqual(["03:12:00", "03:12:02", "03:12:04", "03:12:06", "03:12:08", "03:12:10"]);
  });

  it("clamps zoom to the domain and ignores a zoom that covers everything", () => {
    const domain = { from: 1000, to: 2000 };
    expect(parseZoom("1200", "1500", domain)).toEqual({ from: 1200, to: 1500 });
    expect(parseZoom("0", "5000", domain)).toBeNull();
    expect(parseZoom("1500", "1200", domain)).toBeNull();
    expect(parseZoom(new Date(1100).toISOString(), null, domain)).toEqual({ from: 1100, to: 2000 });
    expect(zoomAround(domain, domain, 1900, 0.5)).toEqual({ from: 1500, to: 2000 });
    expect(zoomAround({ from: 1500, to: 2000 }, domain, 1750, 4)).toBeNull();
  });
});

describe("swimlanes", () => {
  const model = buildSwimlanes(INCIDENT);

  it("has one lane per acting actor, by chain depth", () => {
    expect(model.lanes.map((l) => [l.actor, l.depth, l.hopCount, l.denyCount, l.flaggedCount])).toEqual([
      ["agent:bot", 1, 1, 0, 0],
      ["agent:fx", 2, 2, 1, 1],
    ]);
  });

  it("places hops on lanes with decision classes, chains and flags", () => {
    expect(model.hops.map((h) => [h.hopId, h.lane, h.decision])).toEqual([["1", 0, "allow"], ["2", 1, "allow"], ["3", 1, "deny"]]);
    expect(model.hops[1].chain.map((c) => c.id)).toEqual(["alice", "agent:bot", "agent:fx"]);
    expect(model.hops[1].flags[0].code).toBe("scope_widened");
    expect(model.domain.from).toBeLessThan(Date.parse(INCIDENT.firstAt));
    expect(model.domain.to).toBeGreaterThan(Date.parse(INCIDENT.lastAt));
    expect(model.links).toEqual([{ from: "1", to: "2", kind: "chain_extension", confidence: 0.85, inferred: false }]);
  });

  it("splits a mark between hops of one lane decided at the same instant", () => {
    const same = { ...INCIDENT, hops: [INCIDENT.hops[1], { ...INCIDENT.hops[2], decidedAt: INCIDENT.hops[1].decidedAt }] };
    expect(buildSwimlanes(same).hops.map((h) => [h.slot, h.slots])).toEqual([[0, 2], [1, 2]]);
    expect(model.hops.map((h) => h.slots)).toEqual([1, 1, 1]);
  });

  it("marks hops that only inference joined", () => {
    expect([...inferredHopIds(INCIDENT)]).toEqual(["3"]);
    expect(model.hops.map((h) => h.inferred)).toEqual([false, false, true]);
  });
});

describe("delegation graph", () => {
  const graph = buildDelegationGraph(buildSwimlanes(INCIDENT).hops);
  const byLabel = (l: string) => graph.nodes.find((n) => n.label === l)!;

  it("lays out human → agent → sub-agent → targets left to right", () => {
    expect(byLabel("alice").column).toBe(0);
    expect(byLabel("agent:bot").column).toBe(1);
    expect(byLabel("agent:fx").column).toBe(2);
    expect(byLabel("payment:p1").column).toBe(3);
    expect(byLabel("mcp_tool:mcp://fx/quote").x).toBeGreaterThan(byLabel("agent:fx").x);
  });

  it("puts scopes on delegation edges and finds widened ones", () => {
    const toBot = graph.edges.find((e) => e.id === "delegation:actor:alice->actor:agent:bot")!;
    expect(toBot.scopes).toEqual(["payments:read", "fx:quote"]);
    const toFx = graph.edges.find((e) => e.id === "delegation:actor:agent:bot->actor:agent:fx")!;
    expect(toFx.scopes.sort()).toEqual(["fx:quote", "payments:approve"]);
    expect(toFx.widenedScopes).toEqual(["payments:approve"]);
    expect(toFx.flagCodes).toEqual(["scope_widened"]);
    expect(toFx.inferred).toBe(false);
  });

  it("folds the long tail of targets into one node without losing calls", () => {
    const many = buildSwimlanes({
      ...INCIDENT,
      hops: Array.from({ length: 20 }, (_, i) => ({ ...INCIDENT.hops[0], hopId: `m${i}`, resource: { kind: "doc", id: `d${i}` } })),
    });
    const g = buildDelegationGraph(many.hops);
    expect(g.hiddenTargets).toBe(8);
    const others = g.nodes.find((n) => n.id === "target:(others)")!;
    expect(others).toMatchObject({ label: "+8 more tools/resources", hopCount: 8 });
    const calls = g.edges.filter((e) => e.type === "call");
    expect(calls.reduce((n, e) => n + e.hopIds.length, 0)).toBe(20);
  });

  it("counts decisions on call edges and dashes inferred-only ones", () => {
    const call = graph.edges.find((e) => e.id === "call:actor:agent:fx->target:payment:p1")!;
    expect(call).toMatchObject({ actions: ["approve"], deny: 1, allow: 0, inferred: true });
  });
});
