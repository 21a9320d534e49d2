// Ingests a file of any accepted format. Gzip is read transparently. Large NDJSON files stream in
// line-aligned chunks, so memory stays bounded for multi-GB logs; other layouts (a JSON array, one
// pretty-printed entry) are read whole up to WHOLE_FILE_LIMIT.
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { Transform, type Readable } from "node:stream";
import zlib from "node:zlib";
import type pg from "pg";
import { parseDecisionLog } from "../formats/index.ts";
import { loadOpaDecisionMappings } from "./opa-mappings-config.ts";
import { BatchWriter, createBatch, type IngestContext, type IngestSummary, type Rejection } from "./ingest.ts";

/** Bytes of NDJSON handed to the parser at a time: small, so parsing interleaves with a COPY in flight. */
const CHUNK_BYTES = 1024 * 1024;
/** Non-NDJSON files (arrays, pretty-printed entries) are parsed whole up to this size. */
const WHOLE_FILE_LIMIT = 512 * 1024 * 1024;

export interface FileProgress {
  /** Bytes of the file on disk read so far (compressed bytes for .gz). */
  readBytes: number;
  totalBytes: number;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function openDecoded(path: string, gz: boolean, onRead: (n: number) => void): Readable {
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  file.on("data", (chunk) => onRead((chunk as Buffer).length));
  if (!gz) return file;
  const gunzip = zlib.createGunzip();
  file.on("error", (err) => gunzip.destroy(err));
  return file.pipe(gunzip);
}

/** Splits a byte stream into chunks that end on a newline (the last may not). */
function lineAligned(chunkBytes: number): Transform {
  let pending: Buffer[] = [];
  let pendingLen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending.push(chunk);
      pendingLen += chunk.length;
      if (pendingLen >= chunkBytes) {
        const all = Buffer.concat(pending, pendingLen);
        const cut = all.lastIndexOf(0x0a);
        if (cut >= 0) {
          this.push(all.subarray(0, cut + 1));
          const rest = all.subarray(cut + 1);
          pending = rest.length ? [rest] : [];
          pendingLen = rest.length;
        } else {
          pending = [all];
        }
      }
      done();
    },
    flush(done) {
      if (pendingLen) this.push(Buffer.concat(pending, pendingLen));
      done();
    },
  });
}

function firstSignificantByte(buf: Buffer): number | undefined {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  return buf[i];
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

export async function ingestFile(
  pool: pg.Pool,
  path: string,
  ctx: IngestContext,
  onProgress?: (p: FileProgress) => void,
): Promise<IngestSummary> {
  loadOpaDecisionMappings();
  const totalBytes = (await stat(path)).size;
  const gz = await isGzip(path);
  let readBytes = 0;
  const report = (n: number) => {
    readBytes += n;
    onProgress?.({ readBytes, totalBytes });
  };
  const batchId = await createBatch(pool, { ...ctx, origin: ctx.origin ?? path }, totalBytes);
  const summary: IngestSummary = { batchId, accepted: 0, duplicate: 0, conflict: 0, rejected: [] };
  const writer = new BatchWriter(pool, batchId, ctx);
  const file = ctx.origin ?? path;

  const chunks = openDecoded(path, gz, report).pipe(lineAligned(CHUNK_BYTES));
  let lineOffset = 0;
  let wholeDocument: Buffer[] | null = null;
  let wholeSize = 0;
  let first = true;
  for await (const chunk of chunks as AsyncIterable<Buffer>) {
    if (first) {
      first = false;
      // A JSON array or one multi-line document cannot be cut at newlines: collect it whole.
      const head = firstSignificantByte(chunk);
      if (head === 0x5b /* [ */ || (head === 0x7b /* { */ && !firstLineIsCompleteJson(chunk))) wholeDocument = [];
    }
    if (wholeDocument) {
      wholeSize += chunk.length;
      if (wholeSize > WHOLE_FILE_LIMIT) {
        chunks.destroy();
        const reason = `file is a single JSON document larger than ${WHOLE_FILE_LIMIT / 1024 / 1024} MiB; split it or use NDJSON`;
        summary.rejected.push({ file, line: 1, reason });
        await writer.add([], [{ line: 1, reason }]);
        return { ...summary, ...(await writer.finish()) };
      }
      wholeDocument.push(chunk);
      continue;
    }
    await parseInto(writer, chunk, lineOffset, ctx, file, summary);
    lineOffset += countLines(chunk);
  }
  if (wholeDocument) await parseInto(writer, Buffer.concat(wholeDocument, wholeSize), 0, ctx, file, summary);
  return { ...summary, ...(await writer.finish()) };
}

function firstLineIsCompleteJson(chunk: Buffer): boolean {
  const nl = chunk.indexOf(0x0a);
  const line = (nl < 0 ? chunk : chunk.subarray(0, nl)).toString("utf8").trim();
  try {
    JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
    return true;
  } catch {
    return false;
  }
}

async function parseInto(
  writer: BatchWriter,
  bytes: Buffer,
  lineOffset: number,
  ctx: IngestContext,
  file: string,
  summary: IngestSummary,
): Promise<void> {
  const parsed = parseDecisionLog(bytes, { hint: ctx.engine, limits: ctx.limits });
  const rejected: Rejection[] = parsed.rejected.map((r) => ({
    file,
    line: r.line + lineOffset,
    reason: lineOffset ? r.reason.replace(/^line (\d+)/, (_m, n) => `line ${Number(n) + lineOffset}`) : r.reason,
  }));
  for (const r of rejected) summary.rejected.push(r); // no push(...spread): it overflows the stack past ~100k items
  await writer.add(parsed.records, rejected);
}
