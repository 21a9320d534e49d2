// How many hops match: exact up to a cap ("10,000+" beyond), never a count(*) of the whole table, and
// bounded in time so a non-selective free-text filter on millions of rows cannot hold the page.
import { getPool } from "../db/pool.ts";
import { filterConditions, SqlParams } from "./filter-sql.ts";
import { type ExplorerFilters, hasActiveFilters } from "./query-params.ts";

export const COUNT_CAP = 10_000;
const COUNT_TIMEOUT_MS = 1_500;

export interface HopCount {
  /** Exact count up to COUNT_CAP; null when counting took too long. */
  matched: number | null;
  /** True when more than COUNT_CAP rows match (matched is then COUNT_CAP). */
  capped: boolean;
  /** Planner estimate of all hops in the table (no scan), or null when the table was never analyzed. */
  estimatedTotal: number | null;
}

export async function countHopsCapped(filters: ExplorerFilters): Promise<HopCount> {
  const params = new SqlParams();
  const where = filterConditions(filters, params);
  const limit = params.add(COUNT_CAP + 1);
  const sql = `SELECT count(*)::int AS n FROM (SELECT 1 FROM hops ${where.length ? `WHERE ${where.join(" AND ")}` : ""} LIMIT ${limit}) AS capped`;
  const client = await getPool().connect();
  let matched: number | null = null;
  let estimatedTotal: number | null = null;
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${COUNT_TIMEOUT_MS}`);
    try {
      const { rows } = await client.query<{ n: number }>(sql, params.values);
      matched = rows[0].n;
    } catch (err) {
      // 57014 = query_canceled (statement_timeout): report "unknown", not an error page.
      if ((err as { code?: string }).code !== "57014") throw err;
    }
    await client.query("ROLLBACK");
    if (!hasActiveFilters(filters) || matched === null || matched > COUNT_CAP) {
      const est = await client.query<{ n: string }>(`SELECT reltuples::bigint::text AS n FROM pg_class WHERE oid = 'hops'::regclass`);
      const n = Number(est.rows[0]?.n ?? -1);
      estimatedTotal = n >= 0 ? n : null;
    }
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const capped = matched !== null && matched > COUNT_CAP;
  return { matched: capped ? COUNT_CAP : matched, capped, estimatedTotal };
}
