// Reads a scope's records and hops in one REPEATABLE READ snapshot, so the two lists agree with each
// other (hops are derived and rebuildable; a rebuild mid-export must not split them).
import type pg from "pg";
import type { ScopeQuery } from "./scope.ts";

export interface EvidenceRecord {
  id: string;
  leafIndex: number;
  leafHash: string;
  rawSha256: string;
  rawBytes: Buffer;
  engine: string;
  kind: string;
  format: string;
  pdpInstance: string;
  recordKey: string;
  decidedAt: string;
  ingestedAt: string;
  isConflict: boolean;
}

export interface EvidenceHop {
  id: string;
  recordId: string;
  leafIndex: number;
  inputIndex: number;
  decidedAt: string;
  engine: string;
  pdpInstance: string;
  method: string;
  recordKey: string;
  requestId: string | null;
  principalId: string | null;
  roles: string[];
  actingAgent: string | null;
  action: string;
  resourceKind: string | null;
  resourceId: string | null;
  effect: string;
  policy: string | null;
  scope: string | null;
  policyVersion: string | null;
  policySourceRef: string | null;
  derivedRoles: string[];
  isConflict: boolean;
}

/**
 * One file per record, and the zip writer (fflate) has no ZIP64: a zip holds at most 65,535 entries
 * (measured: a 100,000-record bundle came out with a wrapped entry count and did not verify). The
 * bundle is also built in memory (measured: 30k records ≈ 0.7 GB RSS, 100k ≈ 1.6 GB). So a bundle
 * holds at most this many records; larger populations are exported as several time ranges.
 */
export const MAX_RECORDS_PER_BUNDLE = 60_000;
export const DEFAULT_MAX_RECORDS = MAX_RECORDS_PER_BUNDLE;

type Row = Record<string, unknown>;

function toRecord(r: Row): EvidenceRecord {
  return {
    id: r.id as string,
    leafIndex: Number(r.leaf_index),
    leafHash: r.leaf_hash as string,
    rawSha256: r.raw_sha256 as string,
    rawBytes: r.raw_bytes as Buffer,
    engine: r.engine as string,
    kind: r.kind as string,
    format: r.format as string,
    pdpInstance: r.pdp_instance as string,
    recordKey: r.record_key as string,
    decidedAt: (r.decided_at as Date).toISOString(),
    ingestedAt: (r.ingested_at as Date).toISOString(),
    isConflict: r.is_conflict as boolean,
  };
}

function toHop(r: Row): EvidenceHop {
  return {
    id: r.id as string,
    recordId: r.record_id as string,
    leafIndex: Number(r.leaf_index),
    inputIndex: r.input_index as number,
    decidedAt: (r.decided_at as Date).toISOString(),
    engine: r.engine as string,
    pdpInstance: r.pdp_instance as string,
    method: r.method as string,
    recordKey: r.record_key as string,
    requestId: (r.request_id as string | null) ?? null,
    principalId: (r.principal_id as string | null) ?? null,
    roles: (r.roles as string[]) ?? [],
    actingAgent: (r.acting_agent as string | null) ?? null,
    action: r.action as string,
    resourceKind: (r.resource_kind as string | null) ?? null,
    resourceId: (r.resource_id as string | null) ?? null,
    effect: r.effect as string,
    policy: (r.policy as string | null) ?? null,
    scope: (r.scope as string | null) ?? null,
    policyVersion: (r.policy_version as string | null) ?? null,
    policySourceRef: (r.policy_source_ref as string | null) ?? null,
    derivedRoles: (r.derived_roles as string[]) ?? [],
    isConflict: r.is_conflict as boolean,
  };
}

export interface LogHealth {
  /** Records stored below the checkpoint's size: equals treeSize when the log has no holes. */
  recordsBelowTreeSize: number;
}

export async function collectScope(
  pool: pg.Pool,
  query: ScopeQuery,
  treeSize: number,
  maxRecords = DEFAULT_MAX_RECORDS,
): Promise<{ records: EvidenceRecord[]; hops: EvidenceHop[]; log: LogHealth }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows: countRows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (${query.records.sql.replace(/\n ORDER BY[^\n]*$/, "")}) s`,
      query.records.params,
    );
    if (countRows[0].n > maxRecords) {
      throw new Error(`the scope selects ${countRows[0].n} records, more than one bundle holds (${maxRecords}); narrow it (a shorter time range or more filters)`);
    }
    const records = (await client.query(query.records.sql, query.records.params)).rows.map(toRecord);
    const hops = (await client.query(query.hops.sql, query.hops.params)).rows.map(toHop);
    const { rows: health } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE leaf_index < $1`, [treeSize]);
    await client.query("COMMIT");
    return { records, hops, log: { recordsBelowTreeSize: health[0].n } };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
