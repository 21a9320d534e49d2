// Integration: a body of hundreds of thousands of unusable items (a few KB of gzip) is answered with
// every rejection, not an internal error (it once overflowed the stack spreading them into an array).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestFile } from "../lib/ingest/file.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

describe("ingest of a body with very many rejected items", () => {
  it("reports all of them and stores the batch row with the first 1,000 reasons", async () => {
    const items = 300_000;
    const summary = await ingestBytes(getPool(), Buffer.from("{}\n".repeat(items)), { channel: "cli", engine: "cerbos" });
    expect(summary.accepted).toBe(0);
    expect(summary.rejected).toHaveLength(items);
    expect(summary.rejected[items - 1].reason).toMatch(/\S/);
    const { rows } = await getPool().query(`SELECT rejected, jsonb_array_length(rejections) AS kept FROM ingest_batches WHERE id = $1`, [summary.batchId]);
    expect(rows[0]).toEqual({ rejected: items, kept: 1_000 });
  });

  it("does the same for a file (the CLI's streaming path)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hindsight-rejections-"));
    try {
      const file = path.join(dir, "empty-objects.ndjson");
      writeFileSync(file, "{}\n".repeat(400_000));
      const summary = await ingestFile(getPool(), file, { channel: "cli", engine: "cerbos" });
      expect(summary.rejected).toHaveLength(400_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
