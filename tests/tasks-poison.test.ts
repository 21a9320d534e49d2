// One hostile record must not stop task derivation for the records after it: over-long correlation keys
// (which no index can hold) are not used for grouping, and time windows at the edge of year 9999 are
// clamped to what Postgres can represent.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { refreshTasks } from "../lib/tasks/refresh.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

async function derivesAfter(poison: Record<string, unknown>) {
  const gw = `poison-gw-${randomUUID().slice(0, 8)}`;
  const event = (id: string, extra: Record<string, unknown>) => ({
    decision_id: id,
    labels: { id: gw },
    path: "agents/tools/allow",
    result: true,
    timestamp: "2026-11-21T10:00:00Z",
    input: { subject: { id: "alice" } },
    ...extra,
  });
  const poisonId = `poison-${randomUUID()}`;
  const afterId = `after-${randomUUID()}`;
  const stored = await ingestBytes(getPool(), Buffer.from(JSON.stringify([event(poisonId, poison), event(afterId, {})])), { channel: "cli", engine: "opa" });
  expect(stored.accepted).toBe(2);
  await refreshTasks(getPool(), { wait: true });
  const { rows } = await getPool().query(
    `SELECT h.record_key, d.explicit_task_id, d.facts->'warnings' AS warnings
       FROM hop_delegation d JOIN hops h ON h.id = d.hop_id WHERE h.record_key = ANY($1)`,
    [[poisonId, afterId]],
  );
  return rows;
}

describe("task derivation survives poison records", () => {
  it("ignores a task id longer than an index entry, with a warning, and derives the next hop", async () => {
    const rows = await derivesAfter({ input: { subject: { id: "alice" }, context: { task_id: randomBytes(6_000).toString("base64url") } } });
    expect(rows).toHaveLength(2);
    const poison = rows.find((r) => r.record_key.startsWith("poison-"))!;
    expect(poison.explicit_task_id).toBeNull();
    expect(JSON.stringify(poison.warnings)).toContain("longer than the 512");
  });

  it("derives around a decision at 9999-12-31T23:59:59Z", async () => {
    const rows = await derivesAfter({ timestamp: "9999-12-31T23:59:59Z" });
    expect(rows).toHaveLength(2);
  });
});
