import { describe, expect, it } from "vitest";
import { correlateTasks, timeWindowConfidence } from "./correlate.ts";
import { extractDelegation } from "./extract.ts";
import { hop1Entry, hop2Entry, hop3Event } from "./testdata/appendix-a.ts";
import { hop } from "./testdata/facts.ts";
import { parseEntry } from "./testdata/parse.ts";
import type { JsonObject } from "../formats/types.ts";
import type { CorrelationHop } from "./index.ts";

const groups = (tasks: ReturnType<typeof correlateTasks>) => tasks.map((t) => t.hopIds);

describe("evidence ladder, one rung at a time", () => {
  it("explicit task id (1.0)", () => {
    const tasks = correlateTasks([hop("a", 0, { taskId: "t-1" }), hop("b", 900, { taskId: "t-1" }), hop("c", 1, { taskId: "t-2" })]);
    expect(groups(tasks)).toEqual([["a", "b"], ["c"]]);
    expect(tasks[0]).toMatchObject({ taskKey: "task:t-1", taskId: "t-1", confidence: 1, inferred: false });
    expect(tasks[0].evidence[0]).toEqual({ kind: "explicit_task_id", value: "t-1", confidence: 1, hopIds: ["a", "b"], inferred: false });
  });

  it("txn (0.95)", () => {
    const txn = (id: string) => ({ txn: id, reqWl: [], draftGen: "draft-10" as const, purpose: null, tokenSha256: null });
    const tasks = correlateTasks([hop("a", 0, { txn: txn("x-1") }), hop("b", 5, { txn: txn("x-1") }), hop("c", 6, { txn: txn("N_A") }), hop("d", 7, { txn: txn("N_A") })]);
    expect(groups(tasks)).toEqual([["a", "b"], ["c"], ["d"]]);
    expect(tasks[0]).toMatchObject({ taskKey: "txn:x-1", confidence: 0.95 });
  });

  it("trace id (0.9)", () => {
    const tasks = correlateTasks([hop("a", 0, { trace: { traceId: "t".repeat(32) } }), hop("b", 3, { trace: { traceId: "t".repeat(32) } })]);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ taskKey: `trace:${"t".repeat(32)}`, confidence: 0.9 });
  });

  it("token lineage (0.85): same root, child chain = parent chain + one, iat not earlier; parent edges", () => {
    const tasks = correlateTasks([
      hop("p", 0, { by: "alice", chain: ["planner-agent"], token: { iat: "2026-09-01T10:00:00Z" } }),
      hop("c", 10, { by: "alice", chain: ["planner-agent", "research-agent"], token: { iat: "2026-09-01T10:00:05Z" } }),
      hop("g", 20, { by: "alice", chain: ["planner-agent", "research-agent", "scraper-agent"], token: { iat: "2026-09-01T10:00:15Z" } }),
      // Same shape, but issued before its would-be parent: not a child (and beyond the time window).
      hop("x", 1000, { by: "alice", chain: ["planner-agent", "other-agent"], token: { iat: "2026-09-01T09:59:00Z" } }),
      // Different root subject.
      hop("y", 40, { by: "bob", chain: ["planner-agent", "research-agent"] }),
    ]);
    expect(groups(tasks)).toEqual([["p", "c", "g"], ["y"], ["x"]]);
    expect(tasks[0]).toMatchObject({ taskKey: "lineage:p", confidence: 0.85 });
    expect(tasks[0].edges).toEqual([
      { parentHopId: "p", childHopId: "c", kind: "chain_extension", confidence: 0.85, inferred: false },
      { parentHopId: "c", childHopId: "g", kind: "chain_extension", confidence: 0.85, inferred: false },
    ]);
    expect(tasks[0].evidence[0]).toMatchObject({ kind: "token_lineage", value: "https://idp.acme alice", hopIds: ["p", "c", "g"] });
  });

  it("chains made up from the PDP principal alone do not make lineage", () => {
    const tasks = correlateTasks([hop("p", 0, { by: "alice" }), hop("c", 10, { by: "alice", chain: ["agent-a"], chainSource: "principal" })]);
    // Joined only by time-window inference? No: p has no actors to overlap with.
    expect(groups(tasks)).toEqual([["p"], ["c"]]);
  });

  it("same token jti (0.8)", () => {
    const tasks = correlateTasks([hop("a", 0, { token: { jti: "j-1" } }), hop("b", 4000, { token: { jti: "j-1" } })]);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ taskKey: "token:https://idp.acme|j-1", confidence: 0.8 });
  });

  it("time window (0.3–0.6): same human, overlapping actors, within the window; marked inferred", () => {
    const tasks = correlateTasks([
      hop("a", 0, { by: "alice", chain: ["agent-a"], chainSource: "principal" }),
      hop("b", 60, { by: "alice", chain: ["agent-a"], chainSource: "principal" }),
      hop("c", 60 + 301, { by: "alice", chain: ["agent-a"], chainSource: "principal" }),
      hop("d", 70, { by: "bob", chain: ["agent-a"], chainSource: "principal" }),
      hop("e", 80, { by: "alice", chain: ["agent-z"], chainSource: "principal" }),
    ]);
    expect(groups(tasks)).toEqual([["a", "b"], ["d"], ["e"], ["c"]]);
    const t = tasks[0];
    const expected = timeWindowConfidence(1, 60_000, 300_000);
    expect(expected).toBe(0.58);
    expect(t).toMatchObject({ taskKey: "inferred:a", inferred: true, confidence: expected });
    expect(t.edges).toEqual([{ parentHopId: "a", childHopId: "b", kind: "sequence", confidence: expected, inferred: true }]);
    expect(t.evidence).toEqual([{ kind: "time_window", value: "alice Δt=60s", confidence: expected, hopIds: ["a", "b"], inferred: true }]);
  });

  it("the window is configurable", () => {
    const hops = [hop("a", 0, { by: "alice", chain: ["agent-a"], chainSource: "principal" }), hop("b", 60, { by: "alice", chain: ["agent-a"], chainSource: "principal" })];
    expect(correlateTasks(hops, { timeWindowMs: 30_000 })).toHaveLength(2);
  });
});

describe("mixed evidence", () => {
  it("weakest necessary link sets the confidence; explicit ids are never merged across", () => {
    const trace = { traceId: "a".repeat(32) };
    const tasks = correlateTasks([
      hop("a", 0, { taskId: "t-1", trace }),
      hop("b", 1, { trace }),
      hop("c", 2, { taskId: "t-2", trace }),
      hop("d", 3, { taskId: "t-1" }),
    ]);
    expect(groups(tasks)).toEqual([["a", "b", "d"], ["c"]]);
    expect(tasks[0]).toMatchObject({ taskKey: "task:t-1", confidence: 0.9 });
    expect(tasks[1].taskKey).toBe(`task:t-2`);
  });

  it("inference attaches an unidentified group to an identified task but never fuses two identified ones", () => {
    const tasks = correlateTasks([
      hop("a", 0, { taskId: "t-1", by: "alice", chain: ["agent-a"] }),
      hop("b", 30, { by: "alice", chain: ["agent-a"], chainSource: "principal" }),
      hop("c", 40, { taskId: "t-2", by: "alice", chain: ["agent-a"] }),
    ]);
    expect(groups(tasks)).toEqual([["a", "b"], ["c"]]);
    expect(tasks[0]).toMatchObject({ taskKey: "task:t-1", inferred: true });
    expect(tasks[0].edges[0]).toMatchObject({ parentHopId: "a", childHopId: "b", kind: "sequence", inferred: true });
  });

  it("orders by decision time, never input order; tasks by first decision", () => {
    const input = [hop("late", 50, { taskId: "t-1" }), hop("x", 10, { taskId: "t-0" }), hop("early", 20, { taskId: "t-1" })];
    const tasks = correlateTasks(input);
    expect(groups(tasks)).toEqual([["x"], ["early", "late"]]);
    expect(correlateTasks([...input].reverse())).toEqual(tasks);
  });

  it("parent edges: span beats chain extension; req_wl path extension as last resort", () => {
    const txn = (reqWl: string[]) => ({ txn: "x-9", reqWl, draftGen: "draft-03" as const, purpose: null, tokenSha256: null });
    const tasks = correlateTasks([
      hop("root", 0, { by: "alice", chain: ["planner-agent"], trace: { traceId: "b".repeat(32), spanId: "1".repeat(16) } }),
      hop("other", 1, { by: "alice", chain: ["planner-agent"], trace: { traceId: "b".repeat(32), spanId: "2".repeat(16) } }),
      hop("kid", 2, { by: "alice", chain: ["planner-agent", "r-agent"], trace: { traceId: "b".repeat(32), parentSpanId: "1".repeat(16) } }),
      hop("w1", 3, { txn: txn(["wl-a"]) }),
      hop("w2", 4, { txn: txn(["wl-a", "wl-b"]) }),
    ]);
    expect(groups(tasks)).toEqual([["root", "other", "kid"], ["w1", "w2"]]);
    expect(tasks[0].edges).toEqual([{ parentHopId: "root", childHopId: "kid", kind: "span", confidence: 0.9, inferred: false }]);
    expect(tasks[1].edges).toEqual([{ parentHopId: "w1", childHopId: "w2", kind: "req_wl", confidence: 0.85, inferred: false }]);
  });

  it("task keys are unique even when two groups share their strongest value", () => {
    const trace = { traceId: "c".repeat(32) };
    const tasks = correlateTasks([hop("a", 0, { taskId: "t-1", trace }), hop("b", 1, { taskId: "t-2", trace }), hop("c", 2, { trace, taskId: null })]);
    expect(tasks.map((t) => t.taskKey)).toEqual(["task:t-1", "task:t-2"]);
  });
});

describe("Appendix A end to end", () => {
  function correlationHop(entry: JsonObject): CorrelationHop {
    const record = parseEntry(entry);
    const h = record.hops[0];
    return {
      hopId: `${record.recordKey}#${h.inputIndex}#${h.action}`,
      decidedAt: record.decidedAt,
      effect: h.effect,
      action: h.action,
      resource: { kind: h.resourceKind, id: h.resourceId },
      facts: extractDelegation({ engine: record.engine, entry: record.entry, inputIndex: h.inputIndex, hop: h }),
    };
  }

  it("three hops, two PDPs: one task keyed by the explicit id, span edges, scope widening flagged", () => {
    const hops = [hop3Event, hop1Entry, hop2Entry].map(correlationHop);
    const [task, ...rest] = correlateTasks(hops);
    expect(rest).toEqual([]);
    const [h1, h2, h3] = [hop1Entry, hop2Entry, hop3Event].map((e) => correlationHop(e).hopId);
    expect(task.hopIds).toEqual([h1, h2, h3]);
    expect(task).toMatchObject({ taskKey: "task:task-9f3", taskId: "task-9f3", initiatingHuman: { id: "alice@acme" } });
    expect(task.edges.map((e) => [e.parentHopId, e.childHopId, e.kind])).toEqual([
      [h1, h2, "span"],
      [h2, h3, "span"],
    ]);
    expect(task.actors.map((a) => a.id)).toEqual(["planner-agent", "research-subagent"]);
    expect(task.flags).toEqual({ scope_widened: 1 });
    expect(task.evidence.map((e) => e.kind)).toEqual(["explicit_task_id", "trace_id"]);
  });
});

describe("determinism", () => {
  it("any input permutation gives the same tasks", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const hops: CorrelationHop[] = Array.from({ length: 120 }, (_, i) => {
      const chain = ["planner-agent", "research-agent", "scraper-agent"].slice(0, 1 + rand(3));
      return hop(`h${String(i).padStart(3, "0")}`, rand(1200), {
        by: ["alice", "bob"][rand(2)],
        chain,
        taskId: rand(4) === 0 ? `t-${rand(3)}` : null,
        trace: rand(3) === 0 ? { traceId: String(rand(4)).repeat(32), spanId: String(rand(9) + 1).repeat(16), parentSpanId: String(rand(9) + 1).repeat(16) } : {},
        token: { jti: rand(5) === 0 ? `j-${rand(3)}` : null, iat: null },
      });
    });
    const expected = correlateTasks(hops);
    for (let k = 0; k < 5; k++) {
      const shuffled = [...hops];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rand(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      expect(correlateTasks(shuffled)).toEqual(expected);
    }
    // Every hop lands in exactly one task; edges stay inside their task and point forward in time.
    const all = expected.flatMap((t) => t.hopIds);
    expect(new Set(all).size).toBe(hops.length);
    const at = new Map(hops.map((h) => [h.hopId, h.decidedAt.getTime()]));
    for (const t of expected)
      for (const e of t.edges) {
        expect(t.hopIds).toContain(e.parentHopId);
        expect(t.hopIds).toContain(e.childHopId);
        expect(at.get(e.parentHopId)!).toBeLessThanOrEqual(at.get(e.childHopId)!);
      }
  });
});
