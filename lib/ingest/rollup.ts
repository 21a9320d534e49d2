// Keeps hop_rollup in step with hops: counts per (hour, dimension, value, effect) are aggregated in
// memory from the hops a transaction writes and upserted with one statement, so trends read
// pre-aggregated rows. Conflicting records are not counted (they restate a decision already counted).
import type pg from "pg";
import type { HopFields } from "../formats/types.ts";
import { stripNul } from "./copy-encoding.ts";

/** The dimensions counted on their own; 'all' counts every hop (value ''). */
export const ROLLUP_DIMENSIONS = ["all", "engine", "pdp", "action", "kind", "policy", "ref", "principal", "agent"] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export interface RollupHop {
  decidedAt: Date;
  engine: string;
  pdpInstance: string;
  hop: HopFields;
}

type RollupRow = { bucket: string; dim: RollupDimension; value: string; effect: string; hops: number };

function hourOf(d: Date): string {
  const t = new Date(d.getTime());
  t.setUTCMinutes(0, 0, 0);
  return t.toISOString();
}

function valuesOf({ engine, pdpInstance, hop }: RollupHop): Record<RollupDimension, string> {
  return {
    all: "",
    engine,
    pdp: pdpInstance,
    action: hop.action,
    kind: hop.resourceKind ?? "",
    policy: hop.policy ?? "",
    ref: hop.policySourceRef ?? "",
    principal: hop.principalId ?? "",
    agent: hop.actingAgent ?? "",
  };
}

export function aggregateHourly(hops: Iterable<RollupHop>): RollupRow[] {
  const counts = new Map<string, RollupRow>();
  for (const h of hops) {
    const bucket = hourOf(h.decidedAt);
    const values = valuesOf(h);
    for (const dim of ROLLUP_DIMENSIONS) {
      const key = `${bucket}\u0001${dim}\u0001${values[dim]}\u0001${h.hop.effect}`;
      const known = counts.get(key);
      if (known) known.hops++;
      else counts.set(key, { bucket, dim, value: values[dim], effect: h.hop.effect, hops: 1 });
    }
  }
  return [...counts.values()];
}

/** Adds hop counts. */
export async function applyRollup(client: pg.ClientBase, rows: RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = JSON.stringify(rows, (_k, v) => (typeof v === "string" ? stripNul(v) : v));
  await client.query(
    `INSERT INTO hop_rollup (bucket, dim, value, effect, hops)
     SELECT bucket, dim, value, effect, hops
       FROM jsonb_to_recordset($1::jsonb) AS x(bucket timestamptz, dim text, value text, effect text, hops int)
     ON CONFLICT (dim, value, bucket, effect) DO UPDATE SET hops = hop_rollup.hops + excluded.hops`,
    [payload],
  );
}

/** Per-dimension counts of the hops matching `condition` (SQL over `hops h`), as rollup rows. */
function rollupSelect(condition: string): string {
  return `SELECT date_trunc('hour', h.decided_at, 'UTC') AS bucket, d.dim, d.value, h.effect, count(*)::int AS hops
            FROM hops h CROSS JOIN LATERAL (VALUES ('all', ''), ('engine', h.engine), ('pdp', h.pdp_instance), ('action', h.action),
                 ('kind', coalesce(h.resource_kind, '')), ('policy', coalesce(h.policy, '')), ('ref', coalesce(h.policy_source_ref, '')),
                 ('principal', coalesce(h.principal_id, '')), ('agent', coalesce(h.acting_agent, ''))) AS d(dim, value)
           WHERE NOT h.is_conflict AND (${condition})
           GROUP BY 1, 2, 3, 4`;
}

/** Takes the counts of the hops matching `condition` out of the rollup (before those hops are deleted). */
export async function subtractFromRollup(client: pg.ClientBase, condition: string): Promise<void> {
  await client.query(
    `WITH d AS (${rollupSelect(condition)})
     UPDATE hop_rollup r SET hops = r.hops - d.hops FROM d
      WHERE r.dim = d.dim AND r.value = d.value AND r.bucket = d.bucket AND r.effect = d.effect`,
  );
  await client.query(`DELETE FROM hop_rollup WHERE hops <= 0`);
}

/** Recomputes the whole rollup from hops (maintenance; also what tests compare against). */
export async function rebuildRollup(client: pg.ClientBase): Promise<void> {
  await client.query(`DELETE FROM hop_rollup`);
  await client.query(`INSERT INTO hop_rollup (bucket, dim, value, effect, hops) ${rollupSelect("true")}`);
}
