// The ingest entry point shared by the CLI, the HTTP routes, the upload UI and the demo loader:
// parse → prepare → write in transactions, and a summary that accounts for every item.
import type pg from "pg";
import { parseDecisionLog } from "../formats/index.ts";
import type { ItemRejection, ParsedRecord, ParseLimits } from "../formats/types.ts";
import { isPGlite } from "../db/pool.ts";
import { ADVISORY_LOCKS } from "../db/locks.ts";
import { prepareChunk, type PreparedRecord } from "./prepare.ts";
import { loadOpaDecisionMappings } from "./opa-mappings-config.ts";
import { type BulkStrategy, writeRecords } from "./write.ts";
import { jsonbSafe } from "./copy-encoding.ts";

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
const INGEST_LOCK_KEY = ADVISORY_LOCKS.ingest;

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
 * Stores the records of one batch in transactions of RECORDS_PER_TRANSACTION, each committing with the
 * batch counters (a crash loses no committed chunk; a re-run is idempotent). Pipelined: while Postgres
 * copies chunk N, chunk N+1 is hashed and encoded, so on two cores JS and the database work at once.
 */
export class BatchWriter {
  private pending: ParsedRecord[] = [];
  private pendingRejections: ItemRejection[] = [];
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly strategy: Promise<BulkStrategy>;
  readonly totals = { accepted: 0, duplicate: 0, conflict: 0 };

  constructor(
    private readonly pool: pg.Pool,
    private readonly batchId: string,
    private readonly ctx: IngestContext,
  ) {
    this.strategy = strategyFor(pool);
  }

  async add(records: ParsedRecord[], rejected: ItemRejection[] = []): Promise<void> {
    // No push(...spread): one argument per item overflows the stack past ~100k items (one tiny gzip body).
    for (const r of rejected) this.pendingRejections.push(r);
    for (const r of records) this.pending.push(r);
    while (this.pending.length >= RECORDS_PER_TRANSACTION) await this.submit(this.pending.splice(0, RECORDS_PER_TRANSACTION));
  }

  /** Writes what is left and waits for every transaction; throws the first failure. */
  async finish(): Promise<Omit<IngestSummary, "batchId" | "rejected">> {
    if (this.pending.length > 0 || this.pendingRejections.length > 0 || this.inFlight === null) {
      await this.submit(this.pending.splice(0));
    }
    await this.inFlight;
    if (this.failure) throw this.failure;
    return this.totals;
  }

  private async submit(chunk: ParsedRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    const strategy = await this.strategy;
    const prepared = await prepareChunk(chunk, {
      fallbackPdp: this.ctx.pdpInstance ?? "",
      csv: strategy === "copy" ? { batchId: this.batchId, isDemo: !!this.ctx.isDemo } : undefined,
    });
    const rejections = this.pendingRejections.splice(0);
    await this.inFlight;
    if (this.failure) throw this.failure;
    this.inFlight = this.writeTransaction(prepared, rejections, strategy).catch((err) => {
      this.failure = err;
    });
  }

  private async writeTransaction(chunk: PreparedRecord[], rejections: ItemRejection[], strategy: BulkStrategy): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK_KEY]);
      const counts = await writeRecords(client, this.batchId, chunk, { strategy, isDemo: !!this.ctx.isDemo });
      await client.query(
        `UPDATE ingest_batches SET accepted = accepted + $2, duplicate = duplicate + $3, conflict = conflict + $4,
                rejected = rejected + $5,
                rejections = CASE WHEN jsonb_array_length(rejections) >= $7 THEN rejections
                                  ELSE rejections || $6::jsonb END
          WHERE id = $1`,
        [
          this.batchId,
          counts.accepted,
          counts.duplicate,
          counts.conflict,
          rejections.length,
          // Reasons quote the bad input, which may hold NUL or lone surrogates that jsonb refuses.
          JSON.stringify(rejections.slice(0, MAX_STORED_REJECTIONS), jsonbSafe),
          MAX_STORED_REJECTIONS,
        ],
      );
      await client.query("COMMIT");
      this.totals.accepted += counts.accepted;
      this.totals.duplicate += counts.duplicate;
      this.totals.conflict += counts.conflict;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Stores parsed records of one batch (see BatchWriter). */
export async function storeParsed(
  pool: pg.Pool,
  batchId: string,
  records: ParsedRecord[],
  rejected: ItemRejection[],
  ctx: IngestContext,
): Promise<Omit<IngestSummary, "batchId" | "rejected">> {
  const writer = new BatchWriter(pool, batchId, ctx);
  await writer.add(records, rejected);
  return writer.finish();
}

/** Parses and stores one input (a file's bytes, an HTTP body). */
export async function ingestBytes(pool: pg.Pool, bytes: Buffer, ctx: IngestContext): Promise<IngestSummary> {
  loadOpaDecisionMappings();
  const parsed = parseDecisionLog(bytes, { hint: ctx.engine, limits: ctx.limits });
  const batchId = await createBatch(pool, ctx, bytes.length);
  const counts = await storeParsed(pool, batchId, parsed.records, parsed.rejected, ctx);
  return {
    batchId,
    ...counts,
    rejected: parsed.rejected.map((r) => ({ ...(ctx.origin ? { file: ctx.origin } : {}), line: r.line, reason: r.reason })),
  };
}
