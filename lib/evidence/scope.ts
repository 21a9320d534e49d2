// What an export covers, as the caller wrote it, and the SQL that selects it. The SQL text and its
// parameters go into the manifest verbatim: auditors examine "the parameters, query or script" that
// produced a population (AT-C 205.36), so what was executed must be what is shown.
import { z } from "zod";
import { filterConditions, SqlParams } from "../explorer/filter-sql.ts";
import { type ExplorerFilters, FILTER_PARAMS, parseExplorerParams, parseUtcDateTime } from "../explorer/query-params.ts";

export type EvidenceScope =
  | { type: "task"; taskId: string }
  | { type: "filter"; filters: ExplorerFilters; name?: string }
  | { type: "timeRange"; from: string; to: string; filters?: Omit<ExplorerFilters, "from" | "to"> };

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

export interface ScopeQuery {
  /** Records in scope, ordered by leaf index. */
  records: SqlQuery;
  /** Hops in scope (derived decisions), ordered by time. */
  hops: SqlQuery;
  /** The requested time window, when the scope has one ([from, to] as the explorer reads them). */
  timeRange: { from: string | null; to: string | null } | null;
}

const filterKeys = Object.keys(FILTER_PARAMS) as (keyof typeof FILTER_PARAMS)[];

/** Explorer filters through the explorer's own validation, so an export accepts exactly what the explorer does. */
function validFilters(filters: Record<string, unknown>, where: string): ExplorerFilters {
  for (const key of Object.keys(filters)) {
    if (!filterKeys.includes(key as keyof typeof FILTER_PARAMS)) throw new Error(`${where}: unknown filter "${key}" (known: ${filterKeys.join(", ")})`);
    if (filters[key] !== undefined && typeof filters[key] !== "string") throw new Error(`${where}: filter "${key}" must be a string`);
  }
  const parsed = parseExplorerParams(filters as Record<string, string | undefined>);
  if (!parsed.ok) throw new Error(`${where}: ${parsed.errors.join("; ")}`);
  return parsed.query.filters;
}

const scopeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("task"), taskId: z.string().trim().min(1, "must not be empty").max(256) }),
  z.object({ type: z.literal("filter"), filters: z.record(z.string(), z.unknown()), name: z.string().max(256).optional() }),
  z.object({
    type: z.literal("timeRange"),
    from: z.string().min(1, "is required"),
    to: z.string().min(1, "is required"),
    filters: z.record(z.string(), z.unknown()).optional(),
  }),
]);

/** Validates a scope from any caller (CLI, route handler); errors name the field. */
export function parseEvidenceScope(input: unknown): EvidenceScope {
  const result = scopeSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`scope${issue.path.length ? "." + issue.path.join(".") : ""}: ${issue.message}`);
  }
  const s = result.data;
  if (s.type === "task") return { type: "task", taskId: s.taskId };
  if (s.type === "filter") return { type: "filter", filters: validFilters(s.filters, "scope.filters"), ...(s.name ? { name: s.name } : {}) };
  const filters = validFilters(s.filters ?? {}, "scope.filters");
  if (filters.from || filters.to) throw new Error("scope.filters: give the time range as scope.from / scope.to, not as filters");
  for (const [field, value] of [["from", s.from], ["to", s.to]] as const) {
    if (!parseUtcDateTime(value)) throw new Error(`scope.${field}: must be a date-time like 2026-11-23T18:00 (UTC) or 2026-11-23T18:00:00Z`);
  }
  if (parseUtcDateTime(s.from)! > parseUtcDateTime(s.to)!) throw new Error("scope.from: must not be after scope.to");
  return { type: "timeRange", from: s.from, to: s.to, filters };
}

/** One line naming the scope, for the audit trail's `target` and the report title. */
export function describeScope(scope: EvidenceScope): string {
  if (scope.type === "task") return `task ${scope.taskId}`;
  const text = (f: ExplorerFilters) =>
    Object.entries(f)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
  if (scope.type === "filter") return `filter${scope.name ? ` "${scope.name}"` : ""} ${text(scope.filters) || "(all)"}`.trim();
  const rest = text(scope.filters ?? {});
  return `time range ${scope.from} .. ${scope.to}${rest ? ` ${rest}` : ""}`;
}

/**
 * Records that belong to a task. For now a task is what its records say it is (the task_id places the
 * delegation rules look first); when lib/delegation stores tasks this becomes a lookup there.
 */
function taskRecordCondition(params: SqlParams, taskId: string): string {
  const id = params.add(taskId);
  return `(r.parsed #>> '{requestContext,annotations,task_id}' = ${id}
      OR r.parsed #>> '{requestContext,annotations,taskId}' = ${id}
      OR r.parsed #>> '{metadata,x-task-id,values,0}' = ${id}
      OR r.parsed #>> '{input,context,task_id}' = ${id}
      OR r.parsed #>> '{input,task_id}' = ${id}
      OR r.parsed #>> '{planResources,input,principal,attr,task_id}' = ${id}
      OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.parsed #> '{checkResources,inputs}') = 'array'
                   THEN r.parsed #> '{checkResources,inputs}' ELSE '[]'::jsonb END) AS input(v)
                 WHERE input.v #>> '{principal,attr,task_id}' = ${id})
      -- The task as lib/tasks grouped it (by key or explicit id): members joined by txn, trace,
      -- token lineage or inference carry no task id of their own.
      OR r.id IN (SELECT hm.record_id FROM task_hops th JOIN hops hm ON hm.id = th.hop_id JOIN tasks t ON t.task_key = th.task_key
                   WHERE t.task_key = ${id} OR t.task_id = ${id}))`;
}

function unexpectedCondition(c: string): never {
  throw new Error(`evidence scope: expected only time conditions, got ${c}`);
}

const RECORD_COLUMNS = `r.id::text, r.leaf_index::text, r.leaf_hash, r.raw_sha256, r.raw_bytes, r.engine, r.kind, r.format,
       r.pdp_instance, r.record_key, r.decided_at, r.ingested_at, r.is_conflict`;

const HOP_COLUMNS = `h.id::text, h.record_id::text, r.leaf_index::text, h.input_index, h.decided_at, h.engine, h.pdp_instance, h.method,
       h.record_key, h.request_id, h.principal_id, h.roles, h.acting_agent, h.action, h.resource_kind, h.resource_id, h.effect,
       h.policy, h.scope, h.policy_version, h.policy_source_ref, h.derived_roles, h.is_conflict`;

/**
 * The queries for a scope, bounded to the first `treeSize` leaves: records appended after the export's
 * checkpoint could not be proven against it, so they are out of scope by construction.
 */
export function scopeHops(scope: EvidenceScope, treeSize: number): ScopeQuery {
  if (scope.type === "task") {
    const rp = new SqlParams();
    const taskCondition = taskRecordCondition(rp, scope.taskId);
    const bound = rp.add(treeSize);
    const taskRecords = `WITH task_records AS (
  SELECT r.id, r.engine, r.pdp_instance, r.record_key FROM records r
   WHERE ${taskCondition}
     AND r.leaf_index < ${bound})`;
    // Cerbos writes who called and from where (peer, user agent) in a separate access entry that shares
    // the decision's callId but usually carries no task id: it is part of the task's evidence.
    return {
      records: {
        sql: `${taskRecords}
SELECT ${RECORD_COLUMNS}
  FROM records r
 WHERE r.leaf_index < ${bound}
   AND (r.id IN (SELECT id FROM task_records)
        OR (r.engine = 'cerbos' AND r.kind = 'access'
            AND (r.pdp_instance, r.record_key) IN (SELECT pdp_instance, record_key FROM task_records WHERE engine = 'cerbos')))
 ORDER BY r.leaf_index`,
        params: rp.values,
      },
      hops: {
        sql: `${taskRecords}
SELECT ${HOP_COLUMNS}
  FROM hops h JOIN records r ON r.id = h.record_id
 WHERE h.record_id IN (SELECT id FROM task_records)
 ORDER BY h.decided_at, r.leaf_index, h.id`,
        params: rp.values,
      },
      timeRange: null,
    };
  }
  const filters: ExplorerFilters = scope.type === "filter" ? scope.filters : { ...scope.filters, from: scope.from, to: scope.to };
  const hp = new SqlParams();
  // filter-sql emits unqualified hop columns; they run inside a subquery over hops alone so the
  // records join cannot make them ambiguous.
  const conds = filterConditions(filters, hp);
  const hopSubquery = `SELECT * FROM hops WHERE ${conds.length ? conds.join(" AND ") : "TRUE"}`;
  const bound = hp.add(treeSize);
  // With only a time window, the population is every record in it, including records that carry no
  // decision (Cerbos access entries); any other filter is about decisions, so records come via hops.
  const onlyTime = Object.entries(filters).every(([k, v]) => k === "from" || k === "to" || !v);
  const recordWhere = onlyTime
    ? conds.map((c) => (c.startsWith("decided_at ") ? `r.${c}` : unexpectedCondition(c))).join(" AND ") || "TRUE"
    : `r.id IN (SELECT h.record_id FROM (${hopSubquery}) h)`;
  return {
    records: {
      sql: `SELECT ${RECORD_COLUMNS}\n  FROM records r\n WHERE ${recordWhere}\n   AND r.leaf_index < ${bound}\n ORDER BY r.leaf_index`,
      params: hp.values,
    },
    hops: {
      sql: `SELECT ${HOP_COLUMNS}\n  FROM (${hopSubquery}) h JOIN records r ON r.id = h.record_id\n WHERE r.leaf_index < ${bound}\n ORDER BY h.decided_at, r.leaf_index, h.id`,
      params: hp.values,
    },
    timeRange: filters.from || filters.to ? { from: filters.from ?? null, to: filters.to ?? null } : null,
  };
}
