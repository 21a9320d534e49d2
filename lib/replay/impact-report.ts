// Reading impact runs: the run with its counters, flips summarized by dimension, a keyset drill-down
// list, and CSV/JSON export rows.
import type pg from "pg";
import type { ExplorerFilters } from "../explorer/query-params.ts";
import type { ImpactStatus } from "./impact.ts";

export interface ImpactRunView {
  id: string;
  candidateId: string;
  filters: ExplorerFilters;
  status: ImpactStatus;
  requestedBy: string | null;
  decisions: number;
  actions: number;
  unchanged: number;
  allowToDeny: number;
  denyToAllow: number;
  skipped: number;
  skipReasons: Record<string, number>;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const FLIP_DIMENSIONS = {
  action: "action",
  kind: "resource_kind",
  principal: "principal_id",
  agent: "acting_agent",
  policy: "from_policy",
} as const;
export type FlipDimension = keyof typeof FLIP_DIMENSIONS;

export interface FlipCount {
  value: string;
  allowToDeny: number;
  denyToAllow: number;
}

function view(r: Record<string, unknown>): ImpactRunView {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
  return {
    id: String(r.id),
    candidateId: String(r.candidate_id),
    filters: r.filters as ExplorerFilters,
    status: r.status as ImpactStatus,
    requestedBy: (r.requested_by as string | null) ?? null,
    decisions: r.decisions_done as number,
    actions: r.actions_done as number,
    unchanged: r.unchanged as number,
    allowToDeny: r.flips_allow_deny as number,
    denyToAllow: r.flips_deny_allow as number,
    skipped: r.skipped as number,
    skipReasons: r.skip_reasons as Record<string, number>,
    error: (r.error as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export async function getImpactRun(pool: pg.Pool, id: string): Promise<ImpactRunView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const { rows } = await pool.query(`SELECT * FROM impact_runs WHERE id = $1`, [id]);
  return rows[0] ? view(rows[0]) : null;
}

export async function listImpactRuns(pool: pg.Pool, limit = 50): Promise<ImpactRunView[]> {
  const { rows } = await pool.query(`SELECT * FROM impact_runs ORDER BY id DESC LIMIT $1`, [limit]);
  return rows.map(view);
}

export async function flipsBy(pool: pg.Pool, runId: string, dim: FlipDimension, limit = 20): Promise<FlipCount[]> {
  const column = FLIP_DIMENSIONS[dim];
  const { rows } = await pool.query<{ value: string | null; a2d: string; d2a: string }>(
    `SELECT ${column} AS value, count(*) FILTER (WHERE to_effect = 'deny') AS a2d, count(*) FILTER (WHERE to_effect = 'allow') AS d2a
       FROM impact_flips WHERE run_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $2`,
    [runId, limit],
  );
  return rows.map((r) => ({ value: r.value ?? "(none)", allowToDeny: Number(r.a2d), denyToAllow: Number(r.d2a) }));
}

export interface FlipRow {
  hopId: string;
  recordId: string;
  decidedAt: string;
  action: string;
  fromEffect: string;
  toEffect: string;
  principalId: string | null;
  actingAgent: string | null;
  resourceKind: string | null;
  resourceId: string | null;
  fromPolicy: string | null;
  toPolicy: string | null;
}

export interface FlipQuery {
  /** "allow_to_deny" | "deny_to_allow" */
  direction?: "allow_to_deny" | "deny_to_allow";
  dimension?: FlipDimension;
  value?: string;
  /** Keyset: hop id to continue after. */
  afterHopId?: string;
  limit?: number;
}

export async function listFlips(pool: pg.Pool, runId: string, q: FlipQuery = {}): Promise<FlipRow[]> {
  const params: unknown[] = [runId];
  const p = (v: unknown) => `$${params.push(v)}`;
  const conds = ["run_id = $1"];
  if (q.direction) conds.push(`to_effect = ${p(q.direction === "allow_to_deny" ? "deny" : "allow")}`);
  if (q.dimension && q.value !== undefined) conds.push(`${FLIP_DIMENSIONS[q.dimension]} IS NOT DISTINCT FROM ${p(q.value === "(none)" ? null : q.value)}`);
  if (q.afterHopId) conds.push(`hop_id > ${p(q.afterHopId)}::bigint`);
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 10_000);
  const { rows } = await pool.query(
    `SELECT hop_id::text, record_id::text, to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS decided_at, action,
            from_effect, to_effect, principal_id, acting_agent, resource_kind, resource_id, from_policy, to_policy
       FROM impact_flips WHERE ${conds.join(" AND ")} ORDER BY impact_flips.hop_id LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({
    hopId: r.hop_id,
    recordId: r.record_id,
    decidedAt: r.decided_at,
    action: r.action,
    fromEffect: r.from_effect,
    toEffect: r.to_effect,
    principalId: r.principal_id,
    actingAgent: r.acting_agent,
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    fromPolicy: r.from_policy,
    toPolicy: r.to_policy,
  }));
}

const CSV_COLUMNS: (keyof FlipRow)[] = ["hopId", "recordId", "decidedAt", "action", "fromEffect", "toEffect", "principalId", "actingAgent", "resourceKind", "resourceId", "fromPolicy", "toPolicy"];

function csvCell(v: string | null): string {
  if (v === null) return "";
  return /[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? "'" : "") + v.replaceAll('"', '""')}"` : v;
}

/**
 * All flips of a run as CSV, page by page (bounded memory). Cells that spreadsheets would run as formulas
 * are defused. `mapRow` rewrites each row first (the export route masks sensitive cells with it).
 */
export async function* flipsCsv(pool: pg.Pool, runId: string, mapRow: (r: FlipRow) => FlipRow = (r) => r): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(",") + "\n";
  let after: string | undefined;
  for (;;) {
    const page = await listFlips(pool, runId, { afterHopId: after, limit: 5_000 });
    if (page.length === 0) return;
    yield page.map((r) => mapRow(r)).map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(",")).join("\n") + "\n";
    after = page[page.length - 1].hopId;
  }
}
