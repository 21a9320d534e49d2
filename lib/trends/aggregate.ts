// One counting primitive for every trend: hop counts grouped by some dimensions over a window and the
// explorer's filters. Whole hours come from hop_rollup_hourly, partial edge hours from hops; filters the
// rollup cannot answer (role, resource id, policy version, free text) send the whole query to hops.
import type pg from "pg";
import type { ExplorerFilters } from "../explorer/query-params.ts";
import { filterConditions, SqlParams } from "../explorer/filter-sql.ts";
import { planWindow, type TimeWindow } from "./window.ts";

export type Dimension = "hour" | "day" | "effect" | "action" | "kind" | "principal" | "agent" | "policy" | "sourceRef" | "engine" | "pdp";

// Each dimension as read from the rollup and from raw hops; raw NULLs become '' like the rollup keys.
const DIMENSIONS: Record<Dimension, { rollup: string; raw: string }> = {
  hour: { rollup: "bucket", raw: "date_trunc('hour', decided_at, 'UTC')" },
  day: { rollup: "date_trunc('day', bucket, 'UTC')", raw: "date_trunc('day', decided_at, 'UTC')" },
  effect: { rollup: "effect", raw: "effect" },
  action: { rollup: "action", raw: "action" },
  kind: { rollup: "resource_kind", raw: "coalesce(resource_kind, '')" },
  principal: { rollup: "principal_id", raw: "coalesce(principal_id, '')" },
  agent: { rollup: "acting_agent", raw: "coalesce(acting_agent, '')" },
  policy: { rollup: "policy", raw: "coalesce(policy, '')" },
  sourceRef: { rollup: "policy_source_ref", raw: "coalesce(policy_source_ref, '')" },
  engine: { rollup: "engine", raw: "engine" },
  pdp: { rollup: "pdp_instance", raw: "pdp_instance" },
};

/** Filters the rollup can answer, and its column for each. */
const ROLLUP_FILTERS: Partial<Record<keyof ExplorerFilters, string>> = {
  engine: "engine",
  pdp: "pdp_instance",
  principal: "principal_id",
  agent: "acting_agent",
  action: "action",
  kind: "resource_kind",
  effect: "effect",
  policy: "policy",
  ref: "policy_source_ref",
};

export function rollupCanAnswer(filters: ExplorerFilters): boolean {
  return Object.entries(filters).every(([k, v]) => !v || k === "from" || k === "to" || k in ROLLUP_FILTERS);
}

export type CountRow = Record<string, string> & { n: number };

export async function countHops(
  pool: pg.Pool,
  filters: ExplorerFilters,
  window: TimeWindow,
  dims: Dimension[],
  opts: { extraRawCondition?: string; extraRollupCondition?: string; limit?: number; orderByCountDesc?: boolean } = {},
): Promise<CountRow[]> {
  const params = new SqlParams();
  const { from: _f, to: _t, ...rest } = filters;
  const plan = rollupCanAnswer(filters) ? planWindow(window) : { rollup: null, raw: [window] };
  const parts: string[] = [];
  const names = dims.map((d, i) => `d${i}`);

  if (plan.rollup) {
    const conds = [`bucket >= ${params.add(plan.rollup.from.toISOString())}::timestamptz`, `bucket < ${params.add(plan.rollup.to.toISOString())}::timestamptz`];
    for (const [key, column] of Object.entries(ROLLUP_FILTERS)) {
      const value = filters[key as keyof ExplorerFilters];
      if (value) conds.push(`${column} = ${params.add(value)}`);
    }
    if (opts.extraRollupCondition) conds.push(opts.extraRollupCondition);
    const select = dims.map((d, i) => `${DIMENSIONS[d].rollup} AS ${names[i]}`).join(", ");
    parts.push(`SELECT ${select}${dims.length ? ", " : ""}sum(hops)::bigint AS n FROM hop_rollup_hourly WHERE ${conds.join(" AND ")}${dims.length ? ` GROUP BY ${names.map((_, i) => i + 1).join(", ")}` : ""}`);
  }
  if (plan.raw.length) {
    const windows = plan.raw
      .map((w) => `(decided_at >= ${params.add(w.from.toISOString())}::timestamptz AND decided_at < ${params.add(w.to.toISOString())}::timestamptz)`)
      .join(" OR ");
    const conds = ["NOT is_conflict", `(${windows})`, ...filterConditions(rest, params)];
    if (opts.extraRawCondition) conds.push(opts.extraRawCondition);
    const select = dims.map((d, i) => `${DIMENSIONS[d].raw} AS ${names[i]}`).join(", ");
    parts.push(`SELECT ${select}${dims.length ? ", " : ""}count(*)::bigint AS n FROM hops WHERE ${conds.join(" AND ")}${dims.length ? ` GROUP BY ${names.map((_, i) => i + 1).join(", ")}` : ""}`);
  }
  if (parts.length === 0) return [];
  const outerSelect = names.length ? `${names.join(", ")}, ` : "";
  const groupBy = names.length ? ` GROUP BY ${names.join(", ")}` : "";
  const order = opts.orderByCountDesc ? ` ORDER BY n DESC${names.length ? ", " + names.join(", ") : ""}` : names.length ? ` ORDER BY ${names.join(", ")}` : "";
  const limit = opts.limit ? ` LIMIT ${params.add(opts.limit)}` : "";
  const sql = `SELECT ${outerSelect}sum(n)::float8 AS n FROM (${parts.join(" UNION ALL ")}) t${groupBy}${order}${limit}`;
  const { rows } = await pool.query(sql, params.values);
  return rows.map((r) => {
    const out: Record<string, string | number> = { n: Number(r.n) };
    dims.forEach((d, i) => {
      const v = r[names[i]];
      out[d] = v instanceof Date ? v.toISOString() : String(v ?? "");
    });
    return out as CountRow;
  });
}
