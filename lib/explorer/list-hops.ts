// Keyset pages over the hops table. Every ordering is one of the (column, decided_at desc, id desc)
// indexes read forwards or backwards, so a page costs the same at row 50 and at row 5,000,000:
// no OFFSET, and no count(*) of the whole table (see countHopsCapped).
import { getPool } from "../db/pool.ts";
import { encodeCursor, type HopCursor } from "./cursor.ts";
import { filterConditions, SqlParams } from "./filter-sql.ts";
import type { ExplorerFilters, ExplorerSort, SortColumn } from "./query-params.ts";

/** One explorer row, plain JSON (ids and times are strings) so it can cross to client components. */
export interface HopRow {
  id: string;
  recordId: string;
  inputIndex: number;
  /** ISO 8601, UTC, microseconds. */
  decidedAt: string;
  engine: string;
  pdpInstance: string;
  method: string;
  principalId: string | null;
  roles: string[];
  actingAgent: string | null;
  action: string;
  resourceKind: string | null;
  resourceId: string | null;
  effect: string;
  policy: string | null;
  policyVersion: string | null;
  isConflict: boolean;
}

export interface HopPage {
  rows: HopRow[];
  /** Cursor of the last row when more rows follow in the ordering, else null. */
  nextCursor: string | null;
  /** Cursor of the first row when rows precede it, else null. */
  prevCursor: string | null;
}

const DB_COLUMN: Record<Exclude<SortColumn, "time">, string> = {
  principal: "principal_id",
  agent: "acting_agent",
  action: "action",
  kind: "resource_kind",
  effect: "effect",
  policy: "policy",
  pdp: "pdp_instance",
};

const SELECT_COLUMNS = `id, record_id, input_index, decided_at, engine, pdp_instance, method, principal_id, roles, acting_agent,
  action, resource_kind, resource_id, effect, policy, policy_version, is_conflict`;

interface Ordering {
  /** Sort column (null: time only). */
  column: string | null;
  columnDir: "asc" | "desc";
  /** Direction of the (decided_at, id) tie-breaker. */
  tieDir: "asc" | "desc";
}

/**
 * The ordering for a sort, matching an index scan: `col ASC` pairs with newest-first ties (forward scan of
 * (col, decided_at desc, id desc)), `col DESC` with oldest-first ties (the same index read backwards).
 * `reversed` walks it the other way, for "previous page".
 */
function orderingFor(sort: ExplorerSort, reversed: boolean): Ordering {
  const flip = (d: "asc" | "desc") => (reversed ? (d === "asc" ? "desc" : "asc") : d);
  if (sort.column === "time") return { column: null, columnDir: "asc", tieDir: flip(sort.direction) };
  const tie = sort.direction === "asc" ? "desc" : "asc";
  return { column: DB_COLUMN[sort.column], columnDir: flip(sort.direction), tieDir: flip(tie) };
}

function orderBySql(o: Ordering): string {
  const tie = `decided_at ${o.tieDir.toUpperCase()}, id ${o.tieDir.toUpperCase()}`;
  if (!o.column) return tie;
  // Postgres defaults (ASC NULLS LAST, DESC NULLS FIRST) are what the indexes store; spelled out for the reader.
  return `${o.column} ${o.columnDir === "asc" ? "ASC NULLS LAST" : "DESC NULLS FIRST"}, ${tie}`;
}

/**
 * "Strictly after the cursor in this ordering", split into branches that are each a plain index range
 * (an OR across them would make Postgres filter instead of seek).
 */
function afterCursorBranches(o: Ordering, cursor: HopCursor & { value: string | null }, params: SqlParams): string[] {
  const tieOp = o.tieDir === "desc" ? "<" : ">";
  const tie = `(decided_at, id) ${tieOp} (${params.add(cursor.decidedAt)}::timestamptz, ${params.add(cursor.id)}::bigint)`;
  if (!o.column) return [tie];
  if (cursor.value === null) {
    // NULLs are last in ASC order, first in DESC order.
    return o.columnDir === "asc" ? [`${o.column} IS NULL AND ${tie}`] : [`${o.column} IS NULL AND ${tie}`, `${o.column} IS NOT NULL`];
  }
  const value = params.add(cursor.value);
  const same = `${o.column} = ${value} AND ${tie}`;
  return o.columnDir === "asc" ? [same, `${o.column} > ${value}`, `${o.column} IS NULL`] : [same, `${o.column} < ${value}`];
}

interface DbHopRow {
  id_text: string;
  record_id_text: string;
  input_index: number;
  decided_at_text: string;
  engine: string;
  pdp_instance: string;
  method: string;
  principal_id: string | null;
  roles: string[] | null;
  acting_agent: string | null;
  action: string;
  resource_kind: string | null;
  resource_id: string | null;
  effect: string;
  policy: string | null;
  policy_version: string | null;
  is_conflict: boolean;
}

function toHopRow(r: DbHopRow): HopRow {
  return {
    id: r.id_text,
    recordId: r.record_id_text,
    inputIndex: r.input_index,
    decidedAt: r.decided_at_text,
    engine: r.engine,
    pdpInstance: r.pdp_instance,
    method: r.method,
    principalId: r.principal_id,
    roles: r.roles ?? [],
    actingAgent: r.acting_agent,
    action: r.action,
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    effect: r.effect,
    policy: r.policy,
    policyVersion: r.policy_version,
    isConflict: r.is_conflict,
  };
}

/** A row's position; its sort value stays on the server (cursor.ts says why). */
export function cursorOf(row: HopRow): string {
  return encodeCursor({ decidedAt: row.decidedAt, id: row.id });
}

/**
 * The cursor's position with the value of the sort column, read from the hop it names; null when that
 * hop no longer exists (a demo reset, a link kept from another database).
 */
async function positionOf(cursor: HopCursor, sort: ExplorerSort): Promise<(HopCursor & { value: string | null }) | null> {
  if (sort.column === "time") return { ...cursor, value: null };
  const { rows } = await getPool().query<{ value: string | null }>(`SELECT ${DB_COLUMN[sort.column]} AS value FROM hops WHERE id = $1::bigint`, [cursor.id]);
  return rows[0] ? { ...cursor, value: rows[0].value } : null;
}

/** One page of hops matching `filters`, in `sort` order, after or before a cursor. */
export async function listHops(
  filters: ExplorerFilters,
  sort: ExplorerSort,
  cursor: { after?: HopCursor; before?: HopCursor },
  limit: number,
): Promise<HopPage> {
  const backwards = !!cursor.before;
  const ordering = orderingFor(sort, backwards);
  const params = new SqlParams();
  const where = filterConditions(filters, params);
  const named = cursor.after ?? cursor.before;
  const position = named ? await positionOf(named, sort) : undefined;
  // A cursor naming a hop that is gone gives an empty page (the explorer offers the first page).
  if (position === null) return { rows: [], nextCursor: null, prevCursor: null };
  const branches = position ? afterCursorBranches(ordering, position, params) : ["TRUE"];
  const fetch = params.add(limit + 1); // one extra row tells whether another page follows
  const orderBy = orderBySql(ordering);
  const branchSql = branches.map(
    (b) => `(SELECT ${SELECT_COLUMNS} FROM hops WHERE ${[...where, b].join(" AND ")} ORDER BY ${orderBy} LIMIT ${fetch})`,
  );
  // Output names must differ from the ordering columns: ORDER BY resolves output names first, and
  // ordering by the text form of id would sort "9" after "10".
  const sql = `SELECT id::text AS id_text, record_id::text AS record_id_text, input_index, engine, pdp_instance, method, principal_id, roles, acting_agent,
      action, resource_kind, resource_id, effect, policy, policy_version, is_conflict,
      to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS decided_at_text
    FROM (${branchSql.join(" UNION ALL ")}) AS page
    ORDER BY ${orderBy} LIMIT ${fetch}`;
  const { rows } = await getPool().query<DbHopRow>(sql, params.values);
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit).map(toHopRow);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  // Going forwards, rows precede us exactly when we came through a cursor; going backwards the
  // extra row says whether more rows precede, and the cursor we came from says rows follow.
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : !!cursor.after;
  return {
    rows: pageRows,
    nextCursor: hasNext && last ? cursorOf(last) : null,
    prevCursor: hasPrev && first ? cursorOf(first) : null,
  };
}
