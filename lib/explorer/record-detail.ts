// Everything the decision detail page shows about one stored record: the record row, its batch, its
// hops, the Cerbos access entry sharing its callId, and the other records under the same key
// (conflicts). Returns plain JSON-safe values (ids as strings).
import { getPool } from "../db/pool.ts";
import type { JsonObject } from "../formats/types.ts";

export interface RecordSummaryRef {
  id: string;
  kind: string;
  decidedAt: string;
  ingestedAt: string;
  isConflict: boolean;
  rawSha256: string;
}

export interface RecordHop {
  id: string;
  inputIndex: number;
  action: string;
  effect: string;
  policy: string | null;
  scope: string | null;
  principalId: string | null;
  actingAgent: string | null;
  resourceKind: string | null;
  resourceId: string | null;
  policyVersion: string | null;
  policySourceRef: string | null;
  derivedRoles: string[];
  method: string;
}

export interface RecordDetail {
  id: string;
  engine: string;
  kind: string;
  format: string;
  pdpInstance: string;
  recordKey: string;
  rawSha256: string;
  contentSha256: string;
  rawSize: number;
  /** The raw bytes as UTF-8 text, only when small enough to show; else null (download instead). */
  rawText: string | null;
  parsed: JsonObject;
  decidedAt: string;
  ingestedAt: string;
  isConflict: boolean;
  isDemo: boolean;
  batch: { id: string; channel: string; origin: string | null; receivedAt: string };
  hops: RecordHop[];
  /** Cerbos: the access entries (for a decision) or decisions (for an access entry) with the same callId. */
  linked: RecordSummaryRef[];
  /** Other records with the same identity (engine, PDP, kind, key): a conflict means differing content. */
  sameKey: RecordSummaryRef[];
}

/** Raw bytes above this are offered as a download only (the page stays light). */
export const MAX_INLINE_RAW_BYTES = 512 * 1024;

const UTC_TEXT = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function isRecordId(id: string): boolean {
  return /^\d{1,19}$/.test(id) && BigInt(id) <= 9223372036854775807n;
}

interface RecordRow {
  id: string;
  engine: string;
  kind: string;
  format: string;
  pdp_instance: string;
  record_key: string;
  raw_sha256: string;
  content_sha256: string;
  raw_size: number;
  raw_bytes: Buffer | null;
  parsed: JsonObject;
  decided_at: string;
  ingested_at: string;
  is_conflict: boolean;
  is_demo: boolean;
  batch_id: string;
  channel: string;
  origin: string | null;
  received_at: string;
}

interface RefRow {
  id: string;
  kind: string;
  decided_at: string;
  ingested_at: string;
  is_conflict: boolean;
  raw_sha256: string;
}

const toRef = (r: RefRow): RecordSummaryRef => ({
  id: r.id,
  kind: r.kind,
  decidedAt: r.decided_at,
  ingestedAt: r.ingested_at,
  isConflict: r.is_conflict,
  rawSha256: r.raw_sha256,
});

// Ids leave as text under their own names, so ORDER BY below names table-qualified columns (a bare
// `id` would sort the text output: "9" after "10").
const REF_COLUMNS = `id::text, kind, ${UTC_TEXT("decided_at")} AS decided_at, ${UTC_TEXT("ingested_at")} AS ingested_at, is_conflict, raw_sha256`;

/** The record with everything around it, or null when no record has that id. */
export async function getRecordDetail(id: string): Promise<RecordDetail | null> {
  if (!isRecordId(id)) return null;
  const pool = getPool();
  const { rows } = await pool.query<RecordRow>(
    `SELECT r.id::text, r.engine, r.kind, r.format, r.pdp_instance, r.record_key, r.raw_sha256, r.content_sha256,
            octet_length(r.raw_bytes) AS raw_size,
            CASE WHEN octet_length(r.raw_bytes) <= $2 THEN r.raw_bytes END AS raw_bytes,
            r.parsed, ${UTC_TEXT("r.decided_at")} AS decided_at, ${UTC_TEXT("r.ingested_at")} AS ingested_at,
            r.is_conflict, r.is_demo, r.batch_id::text, b.channel, b.origin, ${UTC_TEXT("b.received_at")} AS received_at
       FROM records r JOIN ingest_batches b ON b.id = r.batch_id
      WHERE r.id = $1::bigint`,
    [id, MAX_INLINE_RAW_BYTES],
  );
  const r = rows[0];
  if (!r) return null;

  const linkedKind = r.engine === "cerbos" ? (r.kind === "access" ? "decision" : "access") : null;
  const [hops, linked, sameKey] = await Promise.all([
    pool.query<RecordHop & { derivedRoles: string[] | null }>(
      `SELECT id::text AS "id", input_index AS "inputIndex", action, effect, policy, scope, principal_id AS "principalId",
              acting_agent AS "actingAgent", resource_kind AS "resourceKind", resource_id AS "resourceId",
              policy_version AS "policyVersion", policy_source_ref AS "policySourceRef", derived_roles AS "derivedRoles", method
         FROM hops WHERE record_id = $1::bigint ORDER BY hops.input_index, hops.id`,
      [id],
    ),
    linkedKind
      ? pool.query<RefRow>(
          `SELECT ${REF_COLUMNS} FROM records
            WHERE engine = 'cerbos' AND pdp_instance = $1 AND kind = $2 AND record_key = $3 ORDER BY records.id LIMIT 20`,
          [r.pdp_instance, linkedKind, r.record_key],
        )
      : Promise.resolve({ rows: [] as RefRow[] }),
    pool.query<RefRow>(
      `SELECT ${REF_COLUMNS} FROM records
        WHERE engine = $1 AND pdp_instance = $2 AND kind = $3 AND record_key = $4 AND id <> $5::bigint ORDER BY records.id LIMIT 50`,
      [r.engine, r.pdp_instance, r.kind, r.record_key, id],
    ),
  ]);

  return {
    id: r.id,
    engine: r.engine,
    kind: r.kind,
    format: r.format,
    pdpInstance: r.pdp_instance,
    recordKey: r.record_key,
    rawSha256: r.raw_sha256,
    contentSha256: r.content_sha256,
    rawSize: Number(r.raw_size),
    rawText: r.raw_bytes ? r.raw_bytes.toString("utf8") : null,
    parsed: r.parsed,
    decidedAt: r.decided_at,
    ingestedAt: r.ingested_at,
    isConflict: r.is_conflict,
    isDemo: r.is_demo,
    batch: { id: r.batch_id, channel: r.channel, origin: r.origin, receivedAt: r.received_at },
    hops: hops.rows.map((h) => ({ ...h, derivedRoles: h.derivedRoles ?? [] })),
    linked: linked.rows.map(toRef),
    sameKey: sameKey.rows.map(toRef),
  };
}

/** The bytes exactly as received, for the download link. */
export async function getRawRecordBytes(id: string): Promise<{ bytes: Buffer; engine: string; sha256: string } | null> {
  if (!isRecordId(id)) return null;
  const { rows } = await getPool().query<{ raw_bytes: Buffer; engine: string; raw_sha256: string }>(
    `SELECT raw_bytes, engine, raw_sha256 FROM records WHERE id = $1::bigint`,
    [id],
  );
  return rows[0] ? { bytes: rows[0].raw_bytes, engine: rows[0].engine, sha256: rows[0].raw_sha256 } : null;
}
