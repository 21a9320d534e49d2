// Writes prepared records and their hops inside the caller's transaction. Real Postgres gets COPY
// (measured ~10x Prisma createMany); the embedded PGlite cannot take COPY FROM STDIN over its socket,
// so it gets one INSERT ... SELECT FROM jsonb_to_recordset per table instead.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { stripNul } from "./copy-encoding.ts";
import { HOP_BODY_COLUMNS, RECORD_BODY_COLUMNS, decidedAtText, hopSearchText, identityOf, type PreparedRecord } from "./prepare.ts";
import { aggregateHourly, applyRollup, type RollupHop } from "./rollup.ts";
import { appendLeaves } from "./merkle-log.ts";

export type BulkStrategy = "copy" | "insert";

export interface WriteCounts {
  accepted: number;
  duplicate: number;
  conflict: number;
}

interface RowToWrite {
  id: string;
  rec: PreparedRecord;
  isConflict: boolean;
  leafIndex: number;
  leafHash: Buffer;
}

// COPY column order: what the database assigns in the transaction first, then the pre-encoded body.
export const RECORD_COPY_COLUMNS = `id, leaf_index, is_conflict, ${RECORD_BODY_COLUMNS}`;
export const HOP_COPY_COLUMNS = `record_id, is_conflict, ${HOP_BODY_COLUMNS}`;
const RECORD_COLUMNS =
  "id, engine, kind, format, pdp_instance, record_key, raw_bytes, raw_sha256, content_sha256, parsed, decided_at, batch_id, is_conflict, is_demo, leaf_index, leaf_hash";
const HOP_COLUMNS =
  "record_id, input_index, decided_at, engine, pdp_instance, method, record_key, request_id, principal_id, roles, acting_agent, action, resource_kind, resource_id, effect, policy, scope, policy_version, policy_source_ref, derived_roles, is_conflict, search_text";

/**
 * Classifies each record against the database and the batch itself, then inserts the new ones.
 * Duplicate: same identity and same content as a stored record. Conflict: same identity, different
 * content: stored and flagged, never merged. The caller holds the ingest lock for the transaction.
 */
export async function writeRecords(
  client: pg.ClientBase,
  batchId: string,
  records: PreparedRecord[],
  opts: { strategy: BulkStrategy; isDemo: boolean },
): Promise<WriteCounts> {
  const counts: WriteCounts = { accepted: 0, duplicate: 0, conflict: 0 };
  if (records.length === 0) return counts;
  const stored = await storedContentByIdentity(client, records);
  const toWrite: Pick<RowToWrite, "rec" | "isConflict">[] = [];
  for (const rec of records) {
    const identity = identityOf(rec);
    const known = stored.get(identity);
    if (known?.has(rec.contentSha256)) {
      counts.duplicate++;
      continue;
    }
    const isConflict = known !== undefined;
    if (isConflict) counts.conflict++;
    else counts.accepted++;
    if (known) known.add(rec.contentSha256);
    else stored.set(identity, new Set([rec.contentSha256]));
    toWrite.push({ rec, isConflict });
  }
  if (toWrite.length === 0) return counts;
  const ids = await allocateRecordIds(client, toWrite.length);
  // Every stored record, conflicts included, is a leaf of the append-only Merkle log, in id order.
  const firstLeaf = await appendLeaves(client, toWrite.map((r) => r.rec.leafHash), opts.strategy);
  const rows: RowToWrite[] = toWrite.map((r, i) => ({ ...r, id: ids[i], leafIndex: firstLeaf + i, leafHash: r.rec.leafHash }));
  if (opts.strategy === "copy") await copyRows(client, rows);
  else await insertRows(client, batchId, rows, opts.isDemo);
  await applyRollup(client, aggregateHourly(rollupHops(rows)));
  return counts;
}

function* rollupHops(rows: RowToWrite[]): Generator<RollupHop> {
  for (const { rec, isConflict } of rows) {
    if (isConflict) continue;
    for (const hop of rec.parsed.hops) yield { decidedAt: rec.parsed.decidedAt, engine: rec.parsed.engine, pdpInstance: rec.pdpInstance, hop };
  }
}

async function storedContentByIdentity(client: pg.ClientBase, records: PreparedRecord[]): Promise<Map<string, Set<string>>> {
  const { rows } = await client.query<{ engine: string; pdp_instance: string; kind: string; record_key: string; content_sha256: string }>(
    `SELECT r.engine, r.pdp_instance, r.kind, r.record_key, r.content_sha256
       FROM records r
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(engine, pdp_instance, kind, record_key)
         ON r.engine = k.engine AND r.pdp_instance = k.pdp_instance AND r.kind = k.kind AND r.record_key = k.record_key`,
    [
      records.map((r) => r.parsed.engine),
      records.map((r) => r.pdpInstance),
      records.map((r) => r.parsed.kind),
      records.map((r) => r.recordKey),
    ],
  );
  const map = new Map<string, Set<string>>();
  for (const row of rows) {
    const identity = `${row.engine}\u0001${row.pdp_instance}\u0001${row.kind}\u0001${row.record_key}`;
    let set = map.get(identity);
    if (!set) map.set(identity, (set = new Set()));
    set.add(row.content_sha256);
  }
  return map;
}

/**
 * Reserves n consecutive record ids with one statement. Safe because every insert into records runs
 * under the ingest lock (lib/ingest/ingest.ts); nextval() per row costs a round of work per record.
 */
async function allocateRecordIds(client: pg.ClientBase, n: number): Promise<string[]> {
  const { rows } = await client.query<{ first: string }>(
    `SELECT (setval(s.seq, nextval(s.seq) + $1 - 1) - $1 + 1)::text AS first
       FROM (SELECT pg_get_serial_sequence('records', 'id') AS seq) s`,
    [n],
  );
  const first = BigInt(rows[0].first);
  return Array.from({ length: n }, (_, i) => String(first + BigInt(i)));
}

function* recordCsv(rows: RowToWrite[]): Generator<string> {
  for (const { id, rec, isConflict, leafIndex } of rows) {
    if (rec.recordCsvBody === undefined) throw new Error("record was not prepared for COPY (prepareRecord without csv)");
    yield `${id},${leafIndex},${isConflict ? "t" : "f"},${rec.recordCsvBody}\n`;
  }
}

function* hopCsv(rows: RowToWrite[]): Generator<string> {
  for (const { id, rec, isConflict } of rows) {
    const prefix = `${id},${isConflict ? "t" : "f"},`;
    for (const body of rec.hopCsvBodies ?? []) yield prefix + body + "\n";
  }
}

/** Groups small CSV rows into ~256 KB chunks: one stream write per row is far slower. */
function* chunked(lines: Iterable<string>, target = 256 * 1024): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const line of lines) {
    buf.push(line);
    size += line.length;
    if (size >= target) {
      yield buf.join("");
      buf = [];
      size = 0;
    }
  }
  if (buf.length) yield buf.join("");
}

async function copyRows(client: pg.ClientBase, rows: RowToWrite[]): Promise<void> {
  await pipeline(
    Readable.from(chunked(recordCsv(rows))),
    client.query(copyFrom(`COPY records (${RECORD_COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv)`)),
  );
  await pipeline(
    Readable.from(chunked(hopCsv(rows))),
    client.query(copyFrom(`COPY hops (${HOP_COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv)`)),
  );
}

// Postgres text cannot hold NUL: the same substitution the COPY path makes in csvText.
const nulFree = (_key: string, value: unknown) => (typeof value === "string" ? stripNul(value) : value);

async function insertRows(client: pg.ClientBase, batchId: string, rows: RowToWrite[], isDemo: boolean): Promise<void> {
  const recordJson = rows.map(({ id, rec, isConflict, leafIndex, leafHash }) => ({
    id,
    engine: rec.parsed.engine,
    kind: rec.parsed.kind,
    format: rec.parsed.format,
    pdp_instance: rec.pdpInstance,
    record_key: rec.recordKey,
    raw_hex: rec.parsed.raw.toString("hex"),
    raw_sha256: rec.rawSha256,
    content_sha256: rec.contentSha256,
    parsed: rec.parsedJson,
    decided_at: decidedAtText(rec.parsed),
    is_conflict: isConflict,
    leaf_index: leafIndex,
    leaf_hash: leafHash.toString("hex"),
  }));
  await client.query(
    `INSERT INTO records (${RECORD_COLUMNS})
     SELECT x.id, x.engine, x.kind, x.format, x.pdp_instance, x.record_key, decode(x.raw_hex, 'hex'), x.raw_sha256,
            x.content_sha256, x.parsed::jsonb, x.decided_at, $2::bigint, x.is_conflict, $3::boolean, x.leaf_index, x.leaf_hash
       FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, engine text, kind text, format text, pdp_instance text,
            record_key text, raw_hex text, raw_sha256 text, content_sha256 text, parsed text, decided_at timestamptz,
            is_conflict boolean, leaf_index bigint, leaf_hash text)`,
    [JSON.stringify(recordJson, nulFree), batchId, isDemo],
  );
  const hopJson = rows.flatMap(({ id, rec, isConflict }) =>
    rec.parsed.hops.map((h) => ({
      record_id: id,
      input_index: h.inputIndex,
      decided_at: decidedAtText(rec.parsed),
      engine: rec.parsed.engine,
      pdp_instance: rec.pdpInstance,
      method: h.method,
      record_key: rec.recordKey,
      request_id: h.requestId,
      principal_id: h.principalId,
      roles: h.roles,
      acting_agent: h.actingAgent,
      action: h.action,
      resource_kind: h.resourceKind,
      resource_id: h.resourceId,
      effect: h.effect,
      policy: h.policy,
      scope: h.scope,
      policy_version: h.policyVersion,
      policy_source_ref: h.policySourceRef,
      derived_roles: h.derivedRoles,
      is_conflict: isConflict,
      search_text: hopSearchText(h, rec.recordKey, rec.pdpInstance),
    })),
  );
  if (hopJson.length === 0) return;
  const payload = JSON.stringify(hopJson, nulFree);
  await client.query(
    `INSERT INTO hops (${HOP_COLUMNS})
     SELECT x.record_id, x.input_index, x.decided_at, x.engine, x.pdp_instance, x.method, x.record_key, x.request_id,
            x.principal_id, x.roles, x.acting_agent, x.action, x.resource_kind, x.resource_id, x.effect, x.policy,
            x.scope, x.policy_version, x.policy_source_ref, x.derived_roles, x.is_conflict, x.search_text
       FROM jsonb_to_recordset($1::jsonb) AS x(record_id bigint, input_index int, decided_at timestamptz, engine text,
            pdp_instance text, method text, record_key text, request_id text, principal_id text, roles text[],
            acting_agent text, action text, resource_kind text, resource_id text, effect text, policy text, scope text,
            policy_version text, policy_source_ref text, derived_roles text[], is_conflict boolean, search_text text)`,
    [payload],
  );
}
