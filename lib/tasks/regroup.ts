// Step 2 of the task derivation: regroup the neighbourhood of new hops into tasks. The neighbourhood is
// every stored hop that could join them (same explicit task id, txn or trace id; same initiating human
// within the inference window) plus all members of the tasks those hops already belong to, so merged
// tasks are rebuilt whole. lib/delegation's correlateTasks and flagHops do the reasoning.
import type pg from "pg";
import type { Effect } from "../formats/types.ts";
import { correlateTasks, DEFAULT_TIME_WINDOW_MS, flagHops, type CorrelationHop, type DelegationFacts, type Task } from "../delegation/index.ts";
import type { NewHopFacts } from "./derive.ts";

async function neighbourhood(client: pg.ClientBase, fresh: NewHopFacts[], windowMs: number): Promise<string[]> {
  const taskIds = [...new Set(fresh.map((f) => f.facts.taskId).filter((v): v is string => !!v))];
  const txns = [...new Set(fresh.map((f) => f.facts.txn?.txn).filter((v): v is string => !!v))];
  const traces = [...new Set(fresh.map((f) => f.facts.trace.traceId).filter((v): v is string => !!v))];
  const spans = new Map<string, { from: number; to: number }>();
  for (const f of fresh) {
    const human = f.facts.initiatingHuman?.id;
    if (!human) continue;
    const t = f.decidedAt.getTime();
    const s = spans.get(human);
    spans.set(human, s ? { from: Math.min(s.from, t), to: Math.max(s.to, t) } : { from: t, to: t });
  }
  const humans = [...spans.keys()];
  const { rows } = await client.query<{ hop_id: string }>(
    `WITH seeds AS (
       SELECT hop_id FROM hop_delegation WHERE hop_id = ANY($1::bigint[])
       UNION SELECT hop_id FROM hop_delegation WHERE explicit_task_id = ANY($2::text[])
       UNION SELECT hop_id FROM hop_delegation WHERE txn = ANY($3::text[])
       UNION SELECT hop_id FROM hop_delegation WHERE trace_id = ANY($4::text[])
       UNION SELECT d.hop_id FROM hop_delegation d
               JOIN unnest($5::text[], $6::timestamptz[], $7::timestamptz[]) AS w(human, f, t)
                 ON d.initiating_human = w.human AND d.decided_at BETWEEN w.f AND w.t)
     SELECT hop_id::text FROM seeds
     UNION
     SELECT th2.hop_id::text FROM task_hops th JOIN task_hops th2 ON th2.task_key = th.task_key
      WHERE th.hop_id IN (SELECT hop_id FROM seeds)`,
    [
      fresh.map((f) => f.hopId),
      taskIds,
      txns,
      traces,
      humans,
      humans.map((h) => windowEdge(spans.get(h)!.from - windowMs)),
      humans.map((h) => windowEdge(spans.get(h)!.to + windowMs)),
    ],
  );
  return rows.map((r) => r.hop_id);
}

async function loadCorrelationHops(client: pg.ClientBase, hopIds: string[]): Promise<CorrelationHop[]> {
  const { rows } = await client.query<{
    hop_id: string;
    decided_at: Date;
    effect: Effect;
    action: string;
    resource_kind: string | null;
    resource_id: string | null;
    facts: DelegationFacts;
  }>(
    `SELECT d.hop_id::text, d.decided_at, h.effect, h.action, h.resource_kind, h.resource_id, d.facts
       FROM hop_delegation d JOIN hops h ON h.id = d.hop_id WHERE d.hop_id = ANY($1::bigint[])`,
    [hopIds],
  );
  return rows.map((r) => ({
    hopId: r.hop_id,
    decidedAt: r.decided_at,
    effect: r.effect,
    action: r.action,
    resource: { kind: r.resource_kind, id: r.resource_id },
    facts: r.facts,
  }));
}

function taskRow(task: Task, hopsById: Map<string, CorrelationHop>) {
  const hops = task.hopIds.map((id) => hopsById.get(id)!);
  const flagCount = Object.values(task.flags).reduce((a, b) => a + (b ?? 0), 0);
  return {
    task_key: task.taskKey,
    task_id: task.taskId ?? null,
    confidence: task.confidence,
    inferred: task.inferred,
    initiating_human: task.initiatingHuman?.id ?? null,
    first_at: hops[0].decidedAt.toISOString(),
    last_at: hops[hops.length - 1].decidedAt.toISOString(),
    hop_count: hops.length,
    deny_count: hops.filter((h) => h.effect === "deny").length,
    flag_count: flagCount,
    actors: task.actors.map((a) => a.id),
    resources: [...new Set(hops.filter((h) => h.resource.kind || h.resource.id).map((h) => `${h.resource.kind ?? "?"}:${h.resource.id ?? ""}`))],
    evidence: task.evidence,
    edges: task.edges,
    flag_summary: task.flags,
  };
}

/** Rebuilds the tasks around freshly derived hops; returns how many tasks were written. */
export async function regroupAround(client: pg.ClientBase, fresh: NewHopFacts[], windowMs = DEFAULT_TIME_WINDOW_MS): Promise<number> {
  if (fresh.length === 0) return 0;
  const ids = await neighbourhood(client, fresh, windowMs);
  const hops = await loadCorrelationHops(client, ids);
  const hopsById = new Map(hops.map((h) => [h.hopId, h]));
  const tasks = correlateTasks(hops, { timeWindowMs: windowMs });
  const memberships: { hop_id: string; task_key: string; position: number; flags: unknown; flag_codes: string[] }[] = [];
  for (const task of tasks) {
    const flags = flagHops(task, hopsById);
    task.hopIds.forEach((hopId, position) => {
      const list = flags.get(hopId) ?? [];
      memberships.push({ hop_id: hopId, task_key: task.taskKey, position, flags: list, flag_codes: [...new Set(list.map((f) => f.code))] });
    });
  }
  const { rows: old } = await client.query<{ task_key: string }>(`SELECT DISTINCT task_key FROM task_hops WHERE hop_id = ANY($1::bigint[])`, [ids]);
  await client.query(`DELETE FROM task_hops WHERE hop_id = ANY($1::bigint[])`, [ids]);
  await client.query(`DELETE FROM tasks WHERE task_key = ANY($1::text[])`, [old.map((r) => r.task_key)]);
  const taskRows = tasks.map((t) => taskRow(t, hopsById));
  await client.query(
    `INSERT INTO tasks (task_key, task_id, confidence, inferred, initiating_human, first_at, last_at, hop_count, deny_count,
                        flag_count, actors, resources, evidence, edges, flag_summary, updated_at)
     SELECT x.task_key, x.task_id, x.confidence, x.inferred, x.initiating_human, x.first_at, x.last_at, x.hop_count, x.deny_count,
            x.flag_count, x.actors, x.resources, x.evidence, x.edges, x.flag_summary, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(task_key text, task_id text, confidence float8, inferred boolean,
            initiating_human text, first_at timestamptz, last_at timestamptz, hop_count int, deny_count int, flag_count int,
            actors text[], resources text[], evidence jsonb, edges jsonb, flag_summary jsonb)
     ON CONFLICT (task_key) DO UPDATE SET task_id = excluded.task_id, confidence = excluded.confidence, inferred = excluded.inferred,
            initiating_human = excluded.initiating_human, first_at = excluded.first_at, last_at = excluded.last_at,
            hop_count = excluded.hop_count, deny_count = excluded.deny_count, flag_count = excluded.flag_count,
            actors = excluded.actors, resources = excluded.resources, evidence = excluded.evidence, edges = excluded.edges,
            flag_summary = excluded.flag_summary, updated_at = now()`,
    [JSON.stringify(taskRows)],
  );
  // A task key can also be held by hops outside this neighbourhood only if they share its evidence,
  // and then they are in the neighbourhood; ON CONFLICT covers re-deriving the same task.
  await client.query(
    `INSERT INTO task_hops (hop_id, task_key, position, flags, flag_codes)
     SELECT x.hop_id, x.task_key, x.position, x.flags, x.flag_codes
       FROM jsonb_to_recordset($1::jsonb) AS x(hop_id bigint, task_key text, position int, flags jsonb, flag_codes text[])`,
    [JSON.stringify(memberships)],
  );
  return tasks.length;
}

/** Regroups hops that have delegation facts but belong to no task (after a demo reset removed their task). */
export async function regroupOrphans(client: pg.ClientBase, windowMs = DEFAULT_TIME_WINDOW_MS): Promise<number> {
  const { rows } = await client.query<{ hop_id: string; decided_at: Date; facts: DelegationFacts }>(
    `SELECT d.hop_id::text, d.decided_at, d.facts FROM hop_delegation d
      WHERE NOT EXISTS (SELECT 1 FROM task_hops th WHERE th.hop_id = d.hop_id)`,
  );
  return regroupAround(client, rows.map((r) => ({ hopId: r.hop_id, decidedAt: r.decided_at, facts: r.facts })), windowMs);
}

// Postgres timestamps span years 0001–9999 (as ISO strings); a window around a decision at the edge of
// that range must not step outside it, or the query fails for every later pass.
const MIN_TIME = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_TIME = Date.parse("9999-12-31T23:59:59.999Z");

function windowEdge(ms: number): string {
  return new Date(Math.min(MAX_TIME, Math.max(MIN_TIME, ms))).toISOString();
}
