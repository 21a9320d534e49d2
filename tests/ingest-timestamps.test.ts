// Integration: timestamps at the edges of what Postgres stores cost their item at most, never the batch.
import { describe, expect, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

describe("edge timestamps", () => {
  it("rejects instants outside years 0001–9999 (UTC) per item and stores the earliest and latest ones", async () => {
    const pdp = uniquePdp("edge-time");
    const event = (id: string, timestamp: string) => ({ decision_id: id, labels: { id: pdp }, path: "a/allow", result: true, timestamp });
    const body = [
      event("year-zero", "0000-01-01T00:00:00Z"),
      event("first", "0001-01-01T00:00:00Z"),
      event("last", "9999-12-31T23:59:59.999999999Z"),
      event("past-last", "9999-12-31T23:59:59-01:00"),
    ];
    const summary = await ingestBytes(getPool(), Buffer.from(JSON.stringify(body)), { channel: "cli", engine: "opa" });
    expect(summary.rejected).toEqual([
      { line: 1, reason: expect.stringMatching(/year 0000/) },
      { line: 4, reason: expect.stringMatching(/outside the years 0001–9999 in UTC/) },
    ]);
    expect(summary.accepted).toBe(2);
  });
});
