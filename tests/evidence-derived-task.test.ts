// A task Hindsight grouped by trace id alone (no record names a task id) exports whole, by its key.
import { inject, describe, expect, it } from "vitest";
import { exportEvidence } from "../lib/evidence/export.ts";
import { testKeysDir } from "../lib/evidence/testing/fixtures.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { refreshTasks } from "../lib/tasks/refresh.ts";
import { listTasks } from "../lib/tasks/queries.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const keysDir = testKeysDir(inject("databaseUrl"));

describe("evidence export of a derived task", () => {
  it("selects the task's records through the tasks table", async () => {
    const pool = getPool();
    const pdp = uniquePdp("trace");
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736".slice(0, 24) + pdp.slice(-8).padStart(8, "0");
    const events = [0, 1, 2].map((i) =>
      JSON.stringify({
        labels: { id: pdp },
        decision_id: `${pdp}-${i}`,
        trace_id: traceId,
        span_id: `00f067aa0ba902b${i}`,
        path: "agents/tools/allow",
        input: { subject: { id: "bot-9" }, action: "invoke", resource: { kind: "mcp_tool", id: `tool-${i}` } },
        result: i !== 1,
        timestamp: new Date(Date.parse("2033-03-01T10:00:00Z") + i * 1000).toISOString(),
      }),
    );
    await ingestBytes(pool, Buffer.from(events.join("\n")), { channel: "cli" });
    await refreshTasks(pool, { wait: true });
    const { tasks } = await listTasks(pool, { q: "tool-2" }, { limit: 50 });
    const task = tasks.find((t) => t.taskKey === `trace:${traceId}`);
    expect(task, "a task keyed by the trace id").toBeDefined();
    expect(task!.taskId).toBeNull();
    const result = await exportEvidence(pool, { scope: { type: "task", taskId: task!.taskKey }, reason: "trace-only task", actor: "test", origin: "test", keysDir });
    expect(result.manifest.counts).toMatchObject({ records: 3, hops: 3 });
  });
});
