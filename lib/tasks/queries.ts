// Reads tasks and their hops for the CLI and the task views. Keyset pages over (last_at, task_key).
import type pg from "pg";
import type { ActorRef, CorrelationEvidence, Flag, TaskEdge } from "../delegation/index.ts";
import type { DelegationFacts } from "../delegation/index.ts";

export interface TaskSummary {
  taskKey: string;
  taskId: string | null;
  confidence: number;
  inferred: boolean;
  initiatingHuman: string | null;
  firstAt: string;
  lastAt: string;
  hopCount: number;
  denyCount: number;
  flagCount: number;
  actors: string[];
  resources: string[];
  flagSummary: Record<string, number>;
}

export interface TaskHopView {
  hopId: string;
  recordId: string;
  position: number;
  decidedAt: string;
  engine: string;
  pdpInstance: string;
  initiatingHuman: string | null;
  actingAgent: string;
  /** Actor ids origin → current. */
  actorChain: string[];
  delegatedScopes: string[];
  action: string;
  resource: { kind: string | null; id: string | null };
  effect: string;
  policy: string | null;
  policySourceRef: string | null;
  flags: Flag[];
  facts: DelegationFacts;
}

export interface TaskDetail extends TaskSummary {
  evidence: CorrelationEvidence[];
  edges: TaskEdge[];
  hops: TaskHopView[];
}

export interface TaskFilters {
  human?: string;
  agent?: string;
  /** Matches "kind:id", a kind or an id. */
  resource?: string;
  flag?: string;
  from?: Date;
  to?: Date;
  /** Free text over task id, human, actors and resources. */
  q?: string;
}

export interface TaskCursor {
  lastAt: string;
  taskKey: string;
}

function summary(r: Record<string, unknown>): TaskSummary {
  return {
    taskKey: r.task_key as string,
    taskId: (r.task_id as string | null) ?? null,
    confidence: Number(r.confidence),
    inferred: r.inferred as boolean,
    initiatingHuman: (r.initiating_human as string | null) ?? null,
    firstAt: (r.first_at as Date).toISOString(),
    lastAt: (r.last_at_text as string | undefined) ?? (r.last_at as Date).toISOString(),
    hopCount: r.hop_count as number,
    denyCount: r.deny_count as number,
    flagCount: r.flag_count as number,
    actors: r.actors as string[],
    resources: r.resources as string[],
    flagSummary: r.flag_summary as Record<string, number>,
  };
}

// last_at also as text with microseconds: the keyset cursor must not lose them to a JS Date.
const SUMMARY_COLUMNS =
  "task_key, task_id, confidence, inferred, initiating_human, first_at, last_at, to_char(last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS last_at_text, hop_count, deny_count, flag_count, actors, resources, flag_summary";

export async function listTasks(
  pool: pg.Pool,
  filters: TaskFilters = {},
  page: { after?: TaskCursor; limit?: number } = {},
): Promise<{ tasks: TaskSummary[]; next: TaskCursor | null }> {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const conds: string[] = [];
  if (filters.human) conds.push(`initiating_human = ${p(filters.human)}`);
  if (filters.agent) conds.push(`${p(filters.agent)} = ANY(actors)`);
  if (filters.resource) {
    const v = p(filters.resource);
    conds.push(`EXISTS (SELECT 1 FROM unnest(resources) r WHERE r = ${v} OR split_part(r, ':', 1) = ${v} OR substr(r, strpos(r, ':') + 1) = ${v})`);
  }
  if (filters.flag) conds.push(`flag_summary ? ${p(filters.flag)}`);
  if (filters.from) conds.push(`last_at >= ${p(filters.from.toISOString())}`);
  if (filters.to) conds.push(`first_at <= ${p(filters.to.toISOString())}`);
  if (filters.q) {
    const v = p(`%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conds.push(`lower(coalesce(task_id, '') || ' ' || coalesce(initiating_human, '') || ' ' || array_to_string(actors, ' ') || ' ' || array_to_string(resources, ' ')) LIKE ${v}`);
  }
  if (page.after) conds.push(`(last_at, task_key) < (${p(page.after.lastAt)}::timestamptz, ${p(page.after.taskKey)})`);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const { rows } = await pool.query(
    `SELECT ${SUMMARY_COLUMNS} FROM tasks ${conds.length ? `WHERE ${conds.join(" AND ")}` : ""}
      ORDER BY last_at DESC, task_key DESC LIMIT ${limit + 1}`,
    params,
  );
  const tasks = rows.slice(0, limit).map(summary);
  const last = tasks[tasks.length - 1];
  return { tasks, next: rows.length > limit && last ? { lastAt: last.lastAt, taskKey: last.taskKey } : null };
}

/** A task by its key, or by its explicit task id. */
export async function getTask(pool: pg.Pool, keyOrId: string): Promise<TaskDetail | null> {
  const { rows } = await pool.query(
    `SELECT ${SUMMARY_COLUMNS}, evidence, edges FROM tasks WHERE task_key = $1 OR task_id = $1 ORDER BY (task_key = $1) DESC LIMIT 1`,
    [keyOrId],
  );
  if (rows.length === 0) return null;
  const task = rows[0];
  const { rows: hops } = await pool.query(
    `SELECT th.hop_id::text, th.position, th.flags, h.record_id::text, h.decided_at, h.engine, h.pdp_instance, h.action,
            h.resource_kind, h.resource_id, h.effect, h.policy, h.policy_source_ref, d.initiating_human, d.acting_agent,
            d.actor_chain, d.delegated_scopes, d.facts
       FROM task_hops th JOIN hops h ON h.id = th.hop_id JOIN hop_delegation d ON d.hop_id = th.hop_id
      WHERE th.task_key = $1 ORDER BY th.position`,
    [task.task_key],
  );
  return {
    ...summary(task),
    evidence: task.evidence as CorrelationEvidence[],
    edges: task.edges as TaskEdge[],
    hops: hops.map((h) => ({
      hopId: h.hop_id,
      recordId: h.record_id,
      position: h.position,
      decidedAt: (h.decided_at as Date).toISOString(),
      engine: h.engine,
      pdpInstance: h.pdp_instance,
      initiatingHuman: h.initiating_human,
      actingAgent: h.acting_agent,
      actorChain: h.actor_chain,
      delegatedScopes: h.delegated_scopes,
      action: h.action,
      resource: { kind: h.resource_kind, id: h.resource_id },
      effect: h.effect,
      policy: h.policy,
      policySourceRef: h.policy_source_ref,
      flags: h.flags as Flag[],
      facts: h.facts as DelegationFacts,
    })),
  };
}

export type { ActorRef };
