// npm run bench:ingest — records/s of the full ingest path (parse, hash, dedupe lookup, COPY records
// and hops) for 100k realistic records into the real Postgres, against a raw COPY of the same rows
// (pre-encoded, no parsing, no lookups) into identical tables: the ratio shows our overhead.
// Uses DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test); works in a scratch database.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { fmt, withScratchDatabase } from "./scratch-db.ts";
import { generateDemoLogs } from "../lib/demo/index.ts";
import { parseDecisionLog } from "../lib/formats/index.ts";
import { ingestFile } from "../lib/ingest/file.ts";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareRecord } from "../lib/ingest/prepare.ts";
import { HOP_COPY_COLUMNS, RECORD_COPY_COLUMNS } from "../lib/ingest/write.ts";

// generateDemoLogs counts decision records; Cerbos access entries come on top (~0.65 per decision).
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 60_000);


await withScratchDatabase("ingest", async (pool) => {

  const t0 = performance.now();
  const logs = generateDemoLogs({ seed: 7, count: DECISIONS });
  const dir = mkdtempSync(path.join(tmpdir(), "hindsight-bench-"));
  const cerbosFile = path.join(dir, "cerbos.ndjson");
  const opaFile = path.join(dir, "opa.json");
  writeFileSync(cerbosFile, logs.cerbosNdjson);
  writeFileSync(opaFile, logs.opaEvents);
  const genMs = performance.now() - t0;
  const inputBytes = logs.cerbosNdjson.length + logs.opaEvents.length;

  // Parse-only timing, for the breakdown.
  const tp = performance.now();
  const parsedC = parseDecisionLog(logs.cerbosNdjson);
  const parsedO = parseDecisionLog(logs.opaEvents);
  const parseMs = performance.now() - tp;
  const records = [...parsedC.records, ...parsedO.records];
  if (parsedC.rejected.length + parsedO.rejected.length > 0) throw new Error("demo data produced rejections");
  const hopCount = records.reduce((n, r) => n + r.hops.length, 0);

  // 1) The full ingest path, as `hindsight ingest <files>` runs it (streamed parse, pipelined COPY).
  const ti = performance.now();
  const s1 = await ingestFile(pool, cerbosFile, { channel: "cli", pdpInstance: "bench" });
  const s2 = await ingestFile(pool, opaFile, { channel: "cli" });
  const ingestMs = performance.now() - ti;
  const accepted = s1.accepted + s2.accepted;

  // 2) Raw COPY of the same rows into the same schema (columns, indexes, foreign keys), minus our work:
  //    no parsing, hashing, dedupe lookup, Merkle log or rollup.
  await pool.query(`CREATE TABLE raw_records (LIKE records INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await pool.query(`ALTER TABLE raw_records ADD FOREIGN KEY (batch_id) REFERENCES ingest_batches (id)`);
  await pool.query(`CREATE TABLE raw_hops (LIKE hops INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await pool.query(`ALTER TABLE raw_hops ADD FOREIGN KEY (record_id) REFERENCES raw_records (id)`);
  // The rows exactly as ingest encodes them (prepareRecord's CSV bodies behind the same prefix).
  const prepared = records.map((r) => prepareRecord(r, { fallbackPdp: "bench", csv: { batchId: "1", isDemo: false } }));
  rmSync(dir, { recursive: true, force: true });
  const recordLines: string[] = [];
  const hopLines: string[] = [];
  prepared.forEach((p, i) => {
    const id = i + 1;
    recordLines.push(`${id},${id},f,${p.recordCsvBody}\n`);
    for (const body of p.hopCsvBodies ?? []) hopLines.push(`${id},f,${body}\n`);
  });
  const batches = (lines: string[]) => {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i += 1000) out.push(lines.slice(i, i + 1000).join(""));
    return out;
  };
  const recordChunks = batches(recordLines);
  const hopChunks = batches(hopLines);
  const client = await pool.connect();
  const tr = performance.now();
  await client.query("BEGIN");
  await pipeline(Readable.from(recordChunks), client.query(copyFrom(`COPY raw_records (${RECORD_COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv)`)));
  await pipeline(Readable.from(hopChunks), client.query(copyFrom(`COPY raw_hops (${HOP_COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv)`)));
  await client.query("COMMIT");
  const rawMs = performance.now() - tr;
  client.release();

  const ingestRate = accepted / (ingestMs / 1000);
  const rawRate = records.length / (rawMs / 1000);
  console.log(`records: ${fmt(records.length)} (${fmt(hopCount)} hops, ${(inputBytes / 1024 / 1024).toFixed(1)} MiB, avg ${fmt(inputBytes / records.length)} B/record; generated in ${fmt(genMs)} ms)`);
  console.log(`parse only:          ${fmt(records.length / (parseMs / 1000))} records/s (${fmt(parseMs)} ms)`);
  console.log(`hindsight ingest:    ${fmt(ingestRate)} records/s (${fmt(ingestMs)} ms, accepted ${fmt(accepted)}; parse + hash + dedupe + COPY records and hops)`);
  console.log(`raw COPY same rows:  ${fmt(rawRate)} records/s (${fmt(rawMs)} ms; pre-encoded rows into the same schema, no parse, no lookups)`);
  console.log(`ratio ingest / raw COPY: ${(ingestRate / rawRate).toFixed(2)} (goal >= 0.5)`);
});
