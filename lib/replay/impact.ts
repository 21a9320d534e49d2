// Impact analysis: replays every Cerbos CheckResources decision matching a window and the explorer's
// filters against a candidate policy set and records which (decision × action) flip. Streams in keyset
// pages of hops, so memory stays bounded for millions of decisions; progress and flips are committed
// per page, and a run can be cancelled (status 'cancelling') from any process.
import type pg from "pg";
import type { CerbosPolicySet } from "../engine/cerbos/index.ts";
import type { ExplorerFilters } from "../explorer/query-params.ts";
import { filterConditions, SqlParams } from "../explorer/filter-sql.ts";
import { loggedChecks } from "./cerbos-inputs.ts";

const PAGE_HOPS = Number(process.env.HINDSIGHT_IMPACT_PAGE ?? 5_000);

export type ImpactStatus = "queued" | "running" | "cancelling" | "cancelled" | "done" | "failed";

export interface ImpactProgress {
  decisions: number;
  actions: number;
  unchanged: number;
  allowToDeny: number;
  denyToAllow: number;
  skipped: number;
}

interface HopRow {
  id: string;
  record_id: string;
  input_index: number;
  decided_at: Date;
  decided_at_text: string;
  action: string;
  effect: string;
  policy: string | null;
  principal_id: string | null;
  acting_agent: string | null;
  resource_kind: string | null;
  resource_id: string | null;
}

export async function createImpactRun(pool: pg.Pool, candidateId: string, filters: ExplorerFilters, requestedBy: string | null): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO impact_runs (candidate_id, filters, status, requested_by) VALUES ($1, $2, 'queued', $3) RETURNING id::text`,
    [candidateId, JSON.stringify(filters), requestedBy],
  );
  return rows[0].id;
}

export async function requestCancel(pool: pg.Pool, runId: string): Promise<boolean> {
  const { rowCount } = await pool.query(`UPDATE impact_runs SET status = 'cancelling' WHERE id = $1 AND status IN ('queued', 'running')`, [runId]);
  return (rowCount ?? 0) > 0;
}

function effectName(engineEffect: string): string {
  return engineEffect === "EFFECT_ALLOW" ? "allow" : "deny";
}

/** Runs (or resumes from scratch) an impact run to completion; returns the final progress. */
export async function executeImpactRun(
  pool: pg.Pool,
  runId: string,
  policySet: CerbosPolicySet,
  onProgress?: (p: ImpactProgress) => void,
  opts: { pageSize?: number } = {},
): Promise<ImpactProgress> {
  const pageSize = opts.pageSize ?? PAGE_HOPS;
  const { rows: runs } = await pool.query<{ filters: ExplorerFilters; status: ImpactStatus }>(`SELECT filters, status FROM impact_runs WHERE id = $1`, [runId]);
  if (runs.length === 0) throw new Error(`impact run ${runId} does not exist`);
  const filters = runs[0].filters;
  const progress: ImpactProgress = { decisions: 0, actions: 0, unchanged: 0, allowToDeny: 0, denyToAllow: 0, skipped: 0 };
  const skipReasons: Record<string, number> = {};
  await pool.query(`DELETE FROM impact_flips WHERE run_id = $1`, [runId]);
  await pool.query(
    `UPDATE impact_runs SET status = 'running', started_at = now(), finished_at = NULL, error = NULL, decisions_done = 0, actions_done = 0,
            unchanged = 0, flips_allow_deny = 0, flips_deny_allow = 0, skipped = 0, skip_reasons = '{}' WHERE id = $1`,
    [runId],
  );
  try {
    // While one page is evaluated (CPU, this process), the next is read (the database): on two cores
    // they overlap. A page is the hops and the logged inputs they need.
    let next: Promise<LoadedPage | null> = loadPage(pool, filters, null, pageSize);
    for (;;) {
      const page = await next;
      if (!page) break;
      next = loadPage(pool, filters, page.cursor, pageSize);
      next.catch(() => {}); // surfaced when awaited; avoid an unhandled rejection if we stop first
      const flips = replayPage(page, policySet, progress, skipReasons);
      await storePage(pool, runId, flips, progress, skipReasons);
      onProgress?.({ ...progress });
      const { rows: st } = await pool.query<{ status: ImpactStatus }>(`SELECT status FROM impact_runs WHERE id = $1`, [runId]);
      if (st[0]?.status === "cancelling") {
        await pool.query(`UPDATE impact_runs SET status = 'cancelled', finished_at = now() WHERE id = $1`, [runId]);
        return progress;
      }
    }
    await pool.query(`UPDATE impact_runs SET status = 'done', finished_at = now() WHERE id = $1`, [runId]);
    return progress;
  } catch (err) {
    await pool.query(`UPDATE impact_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [runId, (err as Error).message]);
    throw err;
  }
}

/**
 * A full page may end in the middle of one logged input's hops (its actions share a timestamp); that
 * input goes to the next page instead, so each input is evaluated once. A single input with more
 * actions than a page is kept whole-page.
 */
function wholeInputs(page: HopRow[], pageSize: number): HopRow[] {
  if (page.length < pageSize) return page;
  const tail = page[page.length - 1];
  let cut = page.length;
  while (cut > 0 && page[cut - 1].record_id === tail.record_id && page[cut - 1].input_index === tail.input_index) cut--;
  return cut > 0 ? page.slice(0, cut) : page;
}

interface LoadedPage {
  hops: HopRow[];
  entries: Map<string, Record<string, unknown>>;
  cursor: { t: string; id: string };
}

async function loadPage(pool: pg.Pool, filters: ExplorerFilters, cursor: { t: string; id: string } | null, pageSize: number): Promise<LoadedPage | null> {
  const params = new SqlParams();
  const conds = ["engine = 'cerbos'", "method = 'CheckResources'", "NOT is_conflict", ...filterConditions(filters, params)];
  if (cursor) conds.push(`(decided_at, id) > (${params.add(cursor.t)}::timestamptz, ${params.add(cursor.id)}::bigint)`);
  const { rows: page } = await pool.query<HopRow>(
    `SELECT id::text, record_id::text, input_index, decided_at,
            to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS decided_at_text,
            action, effect, policy, principal_id, acting_agent, resource_kind, resource_id
       FROM hops WHERE ${conds.join(" AND ")} ORDER BY hops.decided_at, hops.id LIMIT ${pageSize}`,
    params.values,
  );
  if (page.length === 0) return null;
  const hops = wholeInputs(page, pageSize);
  const last = hops[hops.length - 1];
  const recordIds = [...new Set(hops.map((h) => h.record_id))];
  // Only the part of the entry replay needs crosses the wire.
  const { rows: records } = await pool.query<{ id: string; cr: unknown; inputs: unknown; outputs: unknown }>(
    `SELECT id::text, parsed->'checkResources' AS cr, parsed->'inputs' AS inputs, parsed->'outputs' AS outputs FROM records WHERE id = ANY($1::bigint[])`,
    [recordIds],
  );
  const entries = new Map(records.map((r) => [r.id, (r.cr ? { checkResources: r.cr } : { inputs: r.inputs, outputs: r.outputs }) as Record<string, unknown>]));
  return { hops, entries, cursor: { t: last.decided_at_text, id: last.id } };
}

interface Flip {
  hop: HopRow;
  to: string;
  toPolicy: string;
}

function replayPage(
  { hops, entries }: LoadedPage,
  policySet: CerbosPolicySet,
  progress: ImpactProgress,
  skipReasons: Record<string, number>,
): Flip[] {
  const skip = (reason: string, n = 1) => {
    progress.skipped += n;
    skipReasons[reason] = (skipReasons[reason] ?? 0) + n;
  };
  const byInput = new Map<string, HopRow[]>();
  for (const h of hops) {
    const key = `${h.record_id}:${h.input_index}`;
    const list = byInput.get(key);
    if (list) list.push(h);
    else byInput.set(key, [h]);
  }
  const flips: Flip[] = [];
  for (const group of byInput.values()) {
    const entry = entries.get(group[0].record_id);
    const checks = entry ? loggedChecks(entry) : null;
    const check = checks?.find((c) => c.inputIndex === group[0].input_index);
    if (!check) {
      skip("logged input missing or unreadable", group.length);
      continue;
    }
    let out;
    try {
      out = policySet.check(check.input, { now: group[0].decided_at });
    } catch (err) {
      skip(`engine error: ${(err as Error).message.slice(0, 80)}`, group.length);
      continue;
    }
    progress.decisions++;
    for (const hop of group) {
      if (hop.effect !== "allow" && hop.effect !== "deny") {
        skip(`recorded effect "${hop.effect}" is not allow/deny`);
        continue;
      }
      const replayed = out.actions[hop.action];
      if (!replayed) {
        skip("action not in the logged input");
        continue;
      }
      progress.actions++;
      const to = effectName(replayed.effect);
      if (to === hop.effect) progress.unchanged++;
      else {
        if (to === "deny") progress.allowToDeny++;
        else progress.denyToAllow++;
        flips.push({ hop, to, toPolicy: replayed.policy });
      }
    }
  }
  return flips;
}

async function storePage(pool: pg.Pool, runId: string, flips: Flip[], progress: ImpactProgress, skipReasons: Record<string, number>): Promise<void> {
  if (flips.length) {
    await pool.query(
      `INSERT INTO impact_flips (run_id, hop_id, record_id, decided_at, action, from_effect, to_effect, principal_id, acting_agent,
                                 resource_kind, resource_id, from_policy, to_policy)
       SELECT $1, x.hop_id, x.record_id, x.decided_at, x.action, x.from_effect, x.to_effect, x.principal_id, x.acting_agent,
              x.resource_kind, x.resource_id, x.from_policy, x.to_policy
         FROM jsonb_to_recordset($2::jsonb) AS x(hop_id bigint, record_id bigint, decided_at timestamptz, action text, from_effect text,
              to_effect text, principal_id text, acting_agent text, resource_kind text, resource_id text, from_policy text, to_policy text)`,
      [
        runId,
        JSON.stringify(
          flips.map(({ hop, to, toPolicy }) => ({
            hop_id: hop.id,
            record_id: hop.record_id,
            decided_at: hop.decided_at_text,
            action: hop.action,
            from_effect: hop.effect,
            to_effect: to,
            principal_id: hop.principal_id,
            acting_agent: hop.acting_agent,
            resource_kind: hop.resource_kind,
            resource_id: hop.resource_id,
            from_policy: hop.policy,
            to_policy: toPolicy,
          })),
        ),
      ],
    );
  }
  await pool.query(
    `UPDATE impact_runs SET decisions_done = $2, actions_done = $3, unchanged = $4, flips_allow_deny = $5, flips_deny_allow = $6,
            skipped = $7, skip_reasons = $8 WHERE id = $1`,
    [runId, progress.decisions, progress.actions, progress.unchanged, progress.allowToDeny, progress.denyToAllow, progress.skipped, JSON.stringify(skipReasons)],
  );
}
