// The ingest entry point shared by the CLI, the HTTP routes, the upload UI and the demo loader:
// parse → prepare → write in transactions, and a summary that accounts for every item.
import type pg from "pg";
import { parseDecisionLog } from "../formats/index.ts";
import type { ItemRejection, ParsedRecord, ParseLimits } from "../formats/types.ts";
import { isPGlite } from "../db/pool.ts";
import { prepareRecord } from "./prepare.ts";
import { type BulkStrategy, writeRecords } from "./write.ts";

export type IngestChannel = "cli" | "http:opa" | "http:cerbos" | "upload" | "demo";

export interface IngestContext {
  channel: IngestChannel;
  /** File name, client address: shown with the batch. */
  origin?: string | null;
  tokenId?: string | null;
  /** PDP instance for records that name none (Cerbos): the token name or the CLI's --pdp. */
  pdpInstance?: string;
  isDemo?: boolean;
  /** Parser hint when the channel fixes the engine (the OPA endpoint only takes OPA events). */
  engine?: "cerbos" | "opa";
  limits?: Partial<ParseLimits>;
}

export interface Rejection {
  file?: string;
  line: number;
  reason: string;
}

export interface IngestSummary {
  batchId: string;
  accepted: number;
  duplicate: number;
  conflict: number;
  rejected: Rejection[];
}

/** Records per transaction: big enough for COPY to pay off, small enough to bound memory. */
export const RECORDS_PER_TRANSACTION = 5_000;
const MAX_STORED_REJECTIONS = 1_000;
// Serializes ingest transactions so conflict detection (same key, different content) sees every
// earlier write; COPY makes each transaction short, so this costs little.
const INGEST_LOCK_KEY = 72707370;

const strategyCache = new WeakMap<object, BulkStrategy>();

async function strategyFor(pool: pg.Pool): Promise<BulkStrategy> {
  let s = strategyCache.get(pool);
  if (!s) {
    s = (await isPGlite(pool)) ? "insert" : "copy";
    strategyCache.set(pool, s);
  }
  return s;
}

export async function createBatch(pool: pg.Pool, ctx: IngestContext, bytes: number): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO ingest_batches (channel, origin, token_id, bytes) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [ctx.channel, ctx.origin ?? null, ctx.tokenId ?? null, bytes],
  );
  return rows[0].id;
}

/**
 * Stores parsed records of one batch. Each chunk of RECORDS_PER_TRANSACTION records commits on its
 * own with the batch counters, so a crash loses no committed chunk and a re-run is idempotent.
 */
export async function storeParsed(
  pool: pg.Pool,
  batchId: string,
  records: ParsedRecord[],
  rejected: ItemRejection[],
  ctx: IngestContext,
): Promise<Omit<IngestSummary, "batchId" | "rejected">> {
  const strategy = await strategyFor(pool);
  const fallbackPdp = ctx.pdpInstance ?? "";
  const totals = { accepted: 0, duplicate: 0, conflict: 0 };
  let first = true;
  for (let start = 0; start < records.length || first; start += RECORDS_PER_TRANSACTION) {
    const chunk = records.slice(start, start + RECORDS_PER_TRANSACTION).map((r) => prepareRecord(r, fallbackPdp));
    const rejectionsForChunk = first ? rejected : [];
    first = false;
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK_KEY]);
      const counts = await writeRecords(client, batchId, chunk, { strategy, isDemo: !!ctx.isDemo });
      await client.query(
        `UPDATE ingest_batches SET accepted = accepted + $2, duplicate = duplicate + $3, conflict = conflict + $4,
                rejected = rejected + $5,
                rejections = CASE WHEN jsonb_array_length(rejections) >= $7 THEN rejections
                                  ELSE rejections || $6::jsonb END
          WHERE id = $1`,
        [
          batchId,
          counts.accepted,
          counts.duplicate,
          counts.conflict,
          rejectionsForChunk.length,
          JSON.stringify(rejectionsForChunk.slice(0, MAX_STORED_REJECTIONS)),
          MAX_STORED_REJECTIONS,
        ],
      );
      await client.query("COMMIT");
      totals.accepted += counts.accepted;
      totals.duplicate += counts.duplicate;
      totals.conflict += counts.conflict;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
  return totals;
}

/** Parses and stores one input (a file's bytes, an HTTP body). */
export async function ingestBytes(pool: pg.Pool, bytes: Buffer, ctx: IngestContext): Promise<IngestSummary> {
  const parsed = parseDecisionLog(bytes, { hint: ctx.engine, limits: ctx.limits });
  const batchId = await createBatch(pool, ctx, bytes.length);
  const counts = await storeParsed(pool, batchId, parsed.records, parsed.rejected, ctx);
  return {
    batchId,
    ...counts,
    rejected: parsed.rejected.map((r) => ({ ...(ctx.origin ? { file: ctx.origin } : {}), line: r.line, reason: r.reason })),
  };
}
