// One counting primitive for every trend: hop counts grouped by some dimensions over a window and the
// explorer's filters. Whole hours come from hop_rollup, partial edge hours from hops; filters the
// rollup cannot answer (role, resource id, policy version, free text) send the whole query to hops.
import type pg from "pg";
import type { ExplorerFilters } from "../explorer/query-params.ts";
import { filterConditions, SqlParams } from "../explorer/filter-sql.ts";
import { planWindow, type TimeWindow } from "./window.ts";
import type { RollupDimension } from "../ingest/rollup.ts";

export type Dimension = "hour" | "day" | "effect" | "action" | "kind" | "principal" | "agent" | "policy" | "sourceRef" | "engine" | "pdp";

// How each grouping dimension reads from raw hops (NULLs become '' like the rollup's values), and
// which rollup dimension holds it.
const DIMENSIONS: Record<Dimension, { raw: string; rollupDim?: RollupDimension }> = {
  hour: { raw: "date_trunc('hour', decided_at, 'UTC')" },
  day: { raw: "date_trunc('day', decided_at, 'UTC')" },
  effect: { raw: "effect" },
  action: { raw: "action", rollupDim: "action" },
  kind: { raw: "coalesce(resource_kind, '')", rollupDim: "kind" },
  principal: { raw: "coalesce(principal_id, '')", rollupDim: "principal" },
  agent: { raw: "coalesce(acting_agent, '')", rollupDim: "agent" },
  policy: { raw: "coalesce(policy, '')", rollupDim: "policy" },
  sourceRef: { raw: "coalesce(policy_source_ref, '')", rollupDim: "ref" },
  engine: { raw: "engine", rollupDim: "engine" },
  pdp: { raw: "pdp_instance", rollupDim: "pdp" },
};

/** Filters the rollup can answer on their own, and the rollup dimension of each. */
const ROLLUP_FILTERS: Partial<Record<keyof ExplorerFilters, RollupDimension>> = {
  engine: "engine",
  pdp: "pdp",
  principal: "principal",
  agent: "agent",
  action: "action",
  kind: "kind",
  policy: "policy",
  ref: "ref",
};

interface RollupPlan {
  dim: RollupDimension;
  /** The value the one filter fixes, when there is one. */
  value?: string;
}

/**
 * The rollup keeps each dimension on its own, so it answers a query with at most one filter besides
 * time and effect, grouped by time, effect and at most that same one dimension. Anything richer is
 * counted on raw hops.
 */
export function rollupPlanFor(filters: ExplorerFilters, dims: Dimension[]): RollupPlan | null {
  const fixed = Object.entries(filters).filter(([k, v]) => v && k !== "from" && k !== "to" && k !== "effect");
  if (fixed.length > 1) return null;
  const grouped = dims.filter((d) => d !== "hour" && d !== "day" && d !== "effect");
  if (grouped.length > 1) return null;
  const filterDim = fixed.length ? ROLLUP_FILTERS[fixed[0][0] as keyof ExplorerFilters] : undefined;
  if (fixed.length && !filterDim) return null;
  const groupDim = grouped.length ? DIMENSIONS[grouped[0]].rollupDim : undefined;
  if (grouped.length && !groupDim) return null;
  if (filterDim && groupDim && filterDim !== groupDim) return null;
  return { dim: filterDim ?? groupDim ?? "all", ...(filterDim ? { value: fixed[0][1] as string } : {}) };
}

export function rollupCanAnswer(filters: ExplorerFilters): boolean {
  return rollupPlanFor(filters, []) !== null;
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
  const rollupPlan = rollupPlanFor(filters, dims);
  const plan = rollupPlan ? planWindow(window) : { rollup: null, raw: [window] };
  const parts: string[] = [];
  const names = dims.map((d, i) => `d${i}`);

  if (plan.rollup && rollupPlan) {
    const conds = [
      `dim = ${params.add(rollupPlan.dim)}`,
      `bucket >= ${params.add(plan.rollup.from.toISOString())}::timestamptz`,
      `bucket < ${params.add(plan.rollup.to.toISOString())}::timestamptz`,
    ];
    if (rollupPlan.value !== undefined) conds.push(`value = ${params.add(rollupPlan.value)}`);
    if (filters.effect) conds.push(`effect = ${params.add(filters.effect)}`);
    if (opts.extraRollupCondition) conds.push(opts.extraRollupCondition);
    const column = (d: Dimension) => (d === "hour" ? "bucket" : d === "day" ? "date_trunc('day', bucket, 'UTC')" : d === "effect" ? "effect" : "value");
    const select = dims.map((d, i) => `${column(d)} AS ${names[i]}`).join(", ");
    parts.push(`SELECT ${select}${dims.length ? ", " : ""}sum(hops)::bigint AS n FROM hop_rollup WHERE ${conds.join(" AND ")}${dims.length ? ` GROUP BY ${names.map((_, i) => i + 1).join(", ")}` : ""}`);
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
