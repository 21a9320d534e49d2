// Explorer filters → parameterized SQL conditions over the hops table. Values are always bound as
// parameters; only column names (fixed here) are spliced into the text.
import { type ExplorerFilters, parseUtcDateTime } from "./query-params.ts";

/** Collects bind parameters and hands out their $n placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Exact-match filters, each on a column that has a (column, decided_at, id) index or is cheap to check. */
const EQUALITY_COLUMNS = {
  engine: "engine",
  pdp: "pdp_instance",
  principal: "principal_id",
  agent: "acting_agent",
  action: "action",
  kind: "resource_kind",
  rid: "resource_id",
  effect: "effect",
  policy: "policy",
  pv: "policy_version",
  ref: "policy_source_ref",
} as const satisfies Partial<Record<keyof ExplorerFilters, string>>;

/** LIKE treats % and _ as wildcards; a search for "a_b" means those characters literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function filterConditions(filters: ExplorerFilters, params: SqlParams): string[] {
  const conditions: string[] = [];
  if (filters.from) {
    const from = parseUtcDateTime(filters.from);
    if (from) conditions.push(`decided_at >= ${params.add(from.toISOString())}::timestamptz`);
  }
  if (filters.to) {
    const to = parseUtcDateTime(filters.to);
    if (to) {
      // A minute-precision "to" (what a datetime-local field sends) includes that whole minute, a date
      // alone that whole day.
      const text = filters.to.replace(" ", "T");
      const span = /^\d{4}-\d{2}-\d{2}$/.test(text) ? 86_400_000 : /T\d{2}:\d{2}$/.test(text) ? 60_000 : 0;
      if (span > 0) {
        conditions.push(`decided_at < ${params.add(new Date(to.getTime() + span).toISOString())}::timestamptz`);
      } else {
        conditions.push(`decided_at <= ${params.add(to.toISOString())}::timestamptz`);
      }
    }
  }
  for (const [key, column] of Object.entries(EQUALITY_COLUMNS) as [keyof typeof EQUALITY_COLUMNS, string][]) {
    const value = filters[key];
    if (value) conditions.push(`${column} = ${params.add(value)}`);
  }
  if (filters.role) conditions.push(`${params.add(filters.role)} = ANY(roles)`);
  if (filters.q) {
    // search_text is stored lower-cased; ILIKE keeps the match case-insensitive either way.
    conditions.push(`search_text ILIKE ${params.add(`%${escapeLike(filters.q.toLowerCase())}%`)}`);
  }
  return conditions;
}
