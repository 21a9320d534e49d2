// Reading decision-log input from disk or an HTTP body. The only I/O in lib/formats.
// gzip is detected by magic bytes, not file name or Content-Encoding, because logs get rotated and
// renamed and OPA always gzips its uploads. Every decompression has an output cap so a gzip bomb
// fails with a clear error instead of exhausting memory.

import { createReadStream } from "node:fs";
import { stat, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { createGunzip, gunzip } from "node:zlib";
import { formatBytes } from "./item.ts";
import type { SourceLine } from "./index.ts";
import { DEFAULT_PARSE_LIMITS } from "./types.ts";

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** The (decompressed) input is larger than allowed. HTTP routes map this to 413. */
export class PayloadTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(message: string, limitBytes: number) {
    super(message);
    this.name = "PayloadTooLargeError";
    this.limitBytes = limitBytes;
  }
}

/** The bytes start like gzip but do not decompress (truncated or corrupt). HTTP routes map this to 400. */
export class BadGzipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadGzipError";
  }
}

export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

const gunzipAsync = promisify(gunzip);

function translateZlibError(err: unknown, maxBytes: number): Error {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
    return new PayloadTooLargeError(`gzip data decompresses to more than the ${formatBytes(maxBytes)} limit`, maxBytes);
  }
  return new BadGzipError(`invalid gzip data: ${e?.message ?? String(err)}`);
}

/** Decompresses a gzip body, refusing to produce more than `maxBytes`. */
export async function gunzipLimited(buf: Uint8Array, maxBytes: number): Promise<Buffer> {
  try {
    return await gunzipAsync(buf, { maxOutputLength: maxBytes });
  } catch (err) {
    throw translateZlibError(err, maxBytes);
  }
}

export interface ReadInputOptions {
  /** Largest file or decompressed size accepted. Default 1 GiB. */
  maxBytes?: number;
}

/** Reads a whole file, gunzipping it when it starts with the gzip magic bytes. */
export async function readInputFile(path: string, opts?: ReadInputOptions): Promise<Buffer> {
  const maxBytes = opts?.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { size } = await stat(path);
  if (size > maxBytes) {
    throw new PayloadTooLargeError(`${path} is ${formatBytes(size)}, larger than the ${formatBytes(maxBytes)} limit (stream it with readDecisionLogLines instead)`, maxBytes);
  }
  const bytes = await readFile(path);
  return isGzip(bytes) ? gunzipLimited(bytes, maxBytes) : bytes;
}

export interface DecisionLogChunk {
  lines: SourceLine[];
  /** Bytes of the file consumed so far (compressed bytes for gzip files): for progress bars. */
  bytesRead: number;
  totalBytes: number;
}

export interface ReadLinesOptions {
  /** Lines longer than this are not kept; they arrive with `tooLargeBytes`. Default: the parse limit (4 MiB). */
  maxLineBytes?: number;
  /** Approximate bytes of line content per yielded chunk. Default 4 MiB. */
  chunkBytes?: number;
}

async function sniffGzip(path: string): Promise<boolean> {
  const stream = createReadStream(path, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return isGzip(Buffer.concat(chunks));
}

/**
 * Streams an NDJSON file (gzip or plain) as chunks of lines, for inputs too large to hold in memory.
 * Only NDJSON can be streamed this way; arrays and pretty-printed documents need readInputFile.
 */
export async function* readDecisionLogLines(path: string, opts?: ReadLinesOptions): AsyncGenerator<DecisionLogChunk> {
  const maxLine = opts?.maxLineBytes ?? DEFAULT_PARSE_LIMITS.maxItemBytes;
  const chunkTarget = opts?.chunkBytes ?? 4 * 1024 * 1024;
  const { size: totalBytes } = await stat(path);
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const source: AsyncIterable<Buffer> = (await sniffGzip(path)) ? file.pipe(createGunzip()) : file;

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversize = 0; // > 0 while skipping the rest of an over-long line
  let lineNo = 1;
  let lines: SourceLine[] = [];
  let linesBytes = 0;

  const endLine = (tail: Buffer) => {
    const total = oversize > 0 ? oversize + tail.length : pendingBytes + tail.length;
    if (total > maxLine) {
      lines.push({ line: lineNo, bytes: Buffer.alloc(0), tooLargeBytes: total });
    } else {
      const bytes = pending.length ? Buffer.concat([...pending, tail]) : tail;
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      lines.push({ line: lineNo, bytes: bytes.subarray(0, end) });
      linesBytes += end;
    }
    pending = [];
    pendingBytes = 0;
    oversize = 0;
    lineNo++;
  };
  const takeChunk = (): DecisionLogChunk => {
    const chunk = { lines, bytesRead: file.bytesRead, totalBytes };
    lines = [];
    linesBytes = 0;
    return chunk;
  };

  try {
    for await (const chunk of source) {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, pos);
        if (nl < 0) break;
        endLine(chunk.subarray(pos, nl));
        pos = nl + 1;
        if (linesBytes >= chunkTarget) yield takeChunk();
      }
      const rest = chunk.subarray(pos);
      if (oversize > 0) oversize += rest.length;
      else if (pendingBytes + rest.length > maxLine) {
        oversize = pendingBytes + rest.length;
        pending = [];
        pendingBytes = 0;
      } else if (rest.length) {
        // Copy: the stream may reuse its buffer.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  } catch (err) {
    if (err instanceof Error && "code" in err && String((err as NodeJS.ErrnoException).code).startsWith("Z_")) {
      throw new BadGzipError(`invalid gzip data in ${path}: ${err.message}`);
    }
    throw err;
  }
  if (pendingBytes > 0 || oversize > 0) endLine(Buffer.alloc(0));
  yield takeChunk();
}
