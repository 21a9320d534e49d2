// Integration: tasks derived incrementally in the database (ingest in parts, refresh after each) match
// one-shot correlation of the same records in memory, and the demo incident is flagged.
import { describe, expect, it } from "vitest";
import { generateDemoLogs } from "../lib/demo/index.ts";
import { parseDecisionLog } from "../lib/formats/index.ts";
import { correlateTasks, extractRecordDelegation, flagHops, type CorrelationHop } from "../lib/delegation/index.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { refreshTasks } from "../lib/tasks/refresh.ts";
import { getTask, listTasks } from "../lib/tasks/queries.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

describe("tasks", () => {
  it("regroups incrementally to the same tasks and flags as one-shot correlation", async () => {
    const pool = getPool();
    // A time far from other tests' data, so no other hop can join these tasks.
    const logs = generateDemoLogs({ seed: 11, count: 600, start: new Date("2031-02-01T08:00:00Z"), spanHours: 12 });
    const pdp = `tasks-test-${Date.now()}`;

    // In memory: the same pipeline on all records at once.
    const records = [...parseDecisionLog(logs.cerbosNdjson).records.map((r) => ({ ...r, pdpInstance: pdp })), ...parseDecisionLog(logs.opaEvents).records];
    const hops: CorrelationHop[] = [];
    for (const r of records) {
      if (r.kind !== "decision") continue;
      const facts = extractRecordDelegation(r);
      r.hops.forEach((h, i) =>
        hops.push({
          hopId: `${r.engine}|${r.recordKey}|${h.inputIndex}|${h.action}`,
          decidedAt: r.decidedAt,
          effect: h.effect,
          action: h.action,
          resource: { kind: h.resourceKind, id: h.resourceId },
          facts: facts[i],
        }),
      );
    }
    const byId = new Map(hops.map((h) => [h.hopId, h]));
    const expected = correlateTasks(hops).map((t) => {
      const flags = flagHops(t, byId);
      return t.hopIds.map((id) => `${id}${(flags.get(id) ?? []).map((f) => "!" + f.code).join("")}`).join(" ");
    });

    // In the database: ingest in three parts (Cerbos halves, then OPA), refreshing after each.
    const lines = logs.cerbosNdjson.toString("utf8").split("\n").filter(Boolean);
    const half = Math.floor(lines.length / 2);
    for (const part of [lines.slice(0, half), lines.slice(half)]) {
      await ingestBytes(pool, Buffer.from(part.join("\n")), { channel: "cli", pdpInstance: pdp });
      // Small passes cross id-digit boundaries (a text-ordered watermark once skipped hops).
      await refreshTasks(pool, { wait: true, passSize: 97 });
    }
    await ingestBytes(pool, logs.opaEvents, { channel: "cli" });
    await refreshTasks(pool, { wait: true, passSize: 97 });
    const { rows: missing } = await pool.query(
      `SELECT count(*)::int AS n FROM hops h WHERE NOT h.is_conflict AND NOT EXISTS (SELECT 1 FROM hop_delegation d WHERE d.hop_id = h.id)`,
    );
    expect(missing[0].n).toBe(0);

    const { rows } = await pool.query<{ task_key: string; position: number; id: string; codes: string[] }>(
      `SELECT th.task_key, th.position, h.engine || '|' || h.record_key || '|' || h.input_index || '|' || h.action AS id, th.flag_codes AS codes
         FROM task_hops th JOIN hops h ON h.id = th.hop_id JOIN records r ON r.id = h.record_id
        WHERE (r.engine = 'cerbos' AND r.pdp_instance = $1) OR (r.engine = 'opa' AND r.record_key = ANY($2::text[]))
        ORDER BY th.task_key, th.position`,
      [pdp, records.filter((r) => r.engine === "opa").map((r) => r.recordKey)],
    );
    const byTask = new Map<string, string[]>();
    for (const r of rows) byTask.set(r.task_key, [...(byTask.get(r.task_key) ?? []), `${r.id}${[...r.codes].sort().map((c) => "!" + c).join("")}`]);
    // Groups compare as sets: hops of one record share a timestamp, and ties break by hop id, which
    // differs between the stored ids and the in-memory ones.
    const normalize = (groups: string[]) =>
      groups.map((g) => g.split(" ").map((h) => h.split("!").sort().join("!")).sort().join(" ")).sort();
    expect(normalize([...byTask.values()].map((g) => g.join(" ")))).toEqual(normalize(expected));
  });

  it("shows the demo incident: the sub-agent's hops carry scope_widened", async () => {
    const pool = getPool();
    const logs = generateDemoLogs({ seed: 3, count: 300, start: new Date("2032-05-01T08:00:00Z"), spanHours: 6 });
    expect(logs.incident).not.toBeNull();
    await ingestBytes(pool, logs.cerbosNdjson, { channel: "cli", pdpInstance: "incident-pdp" });
    await ingestBytes(pool, logs.opaEvents, { channel: "cli" });
    await refreshTasks(pool, { wait: true });
    const task = await getTask(pool, logs.incident!.taskId);
    expect(task).not.toBeNull();
    expect(task!.initiatingHuman).toBe("alice");
    expect(new Set(task!.hops.map((h) => h.engine))).toEqual(new Set(["cerbos", "opa"]));
    const flagged = task!.hops.filter((h) => h.flags.some((f) => f.code === "scope_widened"));
    expect(flagged.length).toBeGreaterThan(0);
    for (const h of flagged) expect(h.actorChain.at(-1)).toBe(logs.incident!.subAgent);
    const listed = await listTasks(pool, { flag: "scope_widened", human: "alice" });
    expect(listed.tasks.map((t) => t.taskId)).toContain(logs.incident!.taskId);
  });
});
