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

  it("stores rejection reasons that quote NUL or lone surrogates from the input (jsonb refuses both)", async () => {
    const body = Buffer.concat([
      Buffer.from([0x00, 0x01, 0x7b, 0x0a]), // a line of raw NUL and control bytes: the reason quotes them
      Buffer.from('{"decision_id":"x","path":"a","result":true,"timestamp":"\\ud800\\u0000"}\n'),
      Buffer.from('{"decision_id":"ok-' + Date.now() + '","path":"a/allow","result":true,"timestamp":"2026-01-01T00:00:00Z"}\n'),
    ]);
    const summary = await ingestBytes(getPool(), body, { channel: "cli", engine: "opa" });
    expect(summary.accepted).toBe(1);
    expect(summary.rejected).toHaveLength(2);
    const { rows } = await getPool().query(`SELECT rejected, rejections FROM ingest_batches WHERE id = $1`, [summary.batchId]);
    expect(rows[0].rejected).toBe(2);
    expect(rows[0].rejections).toHaveLength(2);
  });
});
