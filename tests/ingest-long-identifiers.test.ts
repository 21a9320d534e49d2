// Integration: identifiers are indexed, so the longest accepted ones must store in every index (records
// identity, hop filters, rollup), and a longer one costs its item, not the batch (it once failed the
// whole batch with "index row requires … bytes").
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_IDENTIFIER_BYTES } from "../lib/formats/item.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
/** Incompressible, so Postgres cannot shrink it under the index limit. */
const random = (bytes: number) => randomBytes(bytes).toString("base64url").slice(0, bytes);

describe("long identifiers", () => {
  it("stores ids at the limit in every indexed column and rejects longer ones per item", async () => {
    const n = MAX_IDENTIFIER_BYTES;
    const atLimit = {
      decision_id: random(n),
      labels: { id: random(n) },
      path: random(n),
      bundles: { b: { revision: random(n - 2) } },
      input: { subject: { id: random(n) }, action: random(n), resource: { type: random(n), id: random(n) } },
      result: true,
      timestamp: "2026-01-01T00:00:00Z",
    };
    const tooLong = { ...atLimit, decision_id: random(n + 1) };
    const summary = await ingestBytes(getPool(), Buffer.from(JSON.stringify([atLimit, tooLong])), { channel: "cli", engine: "opa" });
    expect(summary.accepted).toBe(1);
    expect(summary.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/decision_id is .* limit for identifiers/) }]);
    const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM hops WHERE record_key = $1`, [atLimit.decision_id]);
    expect(rows[0].n).toBe(1);
  });
});
