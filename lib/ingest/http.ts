// The HTTP ingest protocol shared by the route handlers: bearer auth, bounded body reading, gzip with a
// bomb guard, parse + store, and JSON answers that name the problem. Framework-free (Request → Response)
// so tests call it directly. A 2xx is sent only after the records are committed (OPA re-sends on
// anything else, and ingest is idempotent, so at-least-once delivery ends up exactly-once).
import { promisify } from "node:util";
import zlib from "node:zlib";
import type pg from "pg";
import { ingestLimiter, type TokenBucket } from "../auth/rate-limit.ts";
import { authenticateBearer, tokenAllows } from "./tokens.ts";
import { ingestBytes, type IngestChannel, type IngestSummary } from "./ingest.ts";

const gunzip = promisify(zlib.gunzip);

export interface IngestEndpointOptions {
  channel: IngestChannel;
  engine?: "cerbos" | "opa";
  /** Largest body accepted as sent (compressed or not). */
  maxBodyBytes?: number;
  /** Largest body accepted after gunzip. */
  maxDecodedBytes?: number;
  /** Requests per token (default: the process-wide ingest limiter; tests pass a small one). */
  rateLimiter?: TokenBucket;
  /** Most items one body may hold. */
  maxItems?: number;
}

export const DEFAULT_MAX_BODY_BYTES = Number(process.env.HINDSIGHT_MAX_BODY_BYTES) || 32 * 1024 * 1024;
export const DEFAULT_MAX_DECODED_BYTES = Number(process.env.HINDSIGHT_MAX_DECODED_BYTES) || 128 * 1024 * 1024;
/**
 * Items one HTTP body may hold. Every item costs memory however small (a few KB of gzip can hold
 * millions of `{}`, which once ran the server out of memory); real PDP batches hold hundreds to thousands.
 */
export const DEFAULT_MAX_ITEMS = Number(process.env.HINDSIGHT_MAX_ITEMS) || 250_000;
/** The same for browser uploads of whole log files (their byte limits are larger too). */
export const UPLOAD_MAX_ITEMS = Number(process.env.HINDSIGHT_UPLOAD_MAX_ITEMS) || 1_000_000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

/** Reads the body without trusting Content-Length, stopping as soon as it passes the limit. */
export async function readBodyLimited(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, `request body is ${mb(declared)}, larger than the ${mb(maxBytes)} limit`);
  }
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, `request body is larger than the ${mb(maxBytes)} limit`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}

/** Gunzips when the body is gzip (by header or magic bytes), refusing to inflate past the limit. */
export async function decodeBody(body: Buffer, contentEncoding: string | null, maxDecoded: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  const looksGzip = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
  if (encoding && encoding !== "gzip" && encoding !== "identity") {
    throw new HttpError(415, `Content-Encoding "${encoding}" is not supported (use gzip or none)`);
  }
  if (encoding !== "gzip" && !looksGzip) return body;
  if (!looksGzip) throw new HttpError(400, "Content-Encoding is gzip but the body is not gzip data (bad magic bytes)");
  try {
    return await gunzip(body, { maxOutputLength: maxDecoded });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) {
      throw new HttpError(413, `gzip body inflates past the ${mb(maxDecoded)} limit (possible gzip bomb)`);
    }
    throw new HttpError(400, `gzip body is corrupt or truncated: ${(err as Error).message}`);
  }
}

/** Database unreachable or shutting down: the client should retry later, nothing was stored. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e) return false;
  if (e.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|08\w{3}|53300)$/.test(e.code)) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    e.message ?? "",
  );
}

/** Rejections an answer lists (the batch row keeps the same first 1,000); `rejectedCount` counts them all. */
export const MAX_ANSWERED_REJECTIONS = 1_000;

/**
 * The JSON answer for an ingested body. The list of rejections is bounded: a few KB of gzip can hold
 * millions of unusable items, and answering every one built a response of hundreds of MB (and ran the
 * server out of memory serialising it).
 */
export function summaryAnswer(summary: IngestSummary) {
  const { batchId, accepted, duplicate, conflict, rejected } = summary;
  return { batchId, accepted, duplicate, conflict, rejectedCount: rejected.length, rejected: rejected.slice(0, MAX_ANSWERED_REJECTIONS) };
}

export function summaryStatus(summary: IngestSummary): number {
  const stored = summary.accepted + summary.duplicate + summary.conflict;
  // Nothing usable at all: the sender must fix the input. Otherwise 200 with the per-item rejections,
  // because a non-2xx makes OPA re-send the whole chunk forever for one bad event.
  return stored === 0 && summary.rejected.length > 0 ? 400 : 200;
}

export async function handleIngestRequest(req: Request, pool: pg.Pool, opts: IngestEndpointOptions): Promise<Response> {
  try {
    let token;
    try {
      token = await authenticateBearer(pool, req.headers.get("authorization"));
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw new HttpError(503, "database unavailable, retry later", { "retry-after": "5" });
      throw err;
    }
    if (!token) {
      return jsonResponse(401, { error: "missing, unknown or revoked bearer token (create one with `hindsight tokens create --name <pdp>`)" }, {
        "www-authenticate": 'Bearer realm="hindsight-ingest"',
      });
    }
    if (opts.engine && !tokenAllows(token, opts.engine)) {
      return jsonResponse(403, {
        error: `token "${token.name}" may not push to the ${opts.engine} endpoint (it is scoped to: ${token.endpoints.join(", ") || "no endpoint"})`,
        allowedEndpoints: token.endpoints,
      });
    }
    // Before the body is read, so a runaway sender costs no parsing. OPA backs off on 429.
    const wait = (opts.rateLimiter ?? ingestLimiter).take(token.id);
    if (wait > 0) {
      return jsonResponse(429, { error: `token "${token.name}" is over its ingest rate limit; retry in ${wait} s` }, { "retry-after": String(wait) });
    }
    const raw = await readBodyLimited(req, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (raw.length === 0) throw new HttpError(400, "request body is empty");
    const body = await decodeBody(raw, req.headers.get("content-encoding"), opts.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES);
    let summary: IngestSummary;
    try {
      summary = await ingestBytes(pool, body, {
        channel: opts.channel,
        engine: opts.engine,
        origin: req.headers.get("x-forwarded-for") ?? req.headers.get("user-agent") ?? null,
        tokenId: token.id,
        pdpInstance: token.pdp,
        limits: { maxItems: opts.maxItems ?? DEFAULT_MAX_ITEMS },
      });
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw new HttpError(503, "database unavailable, retry later", { "retry-after": "5" });
      throw err;
    }
    return jsonResponse(summaryStatus(summary), summaryAnswer(summary));
  } catch (err) {
    if (err instanceof HttpError) return jsonResponse(err.status, { error: err.message }, err.headers);
    console.error("ingest failed:", err);
    return jsonResponse(500, { error: "internal error while storing the batch; nothing from this request was acknowledged" });
  }
}
