// Keeps hop_rollup_hourly in step with hops: counts are aggregated in memory from the hops a
// transaction writes and upserted with one statement, so trends read pre-aggregated rows.
import type pg from "pg";
import type { HopFields } from "../formats/types.ts";
import { stripNul } from "./copy-encoding.ts";

const KEY_COLUMNS = "bucket, engine, pdp_instance, effect, action, resource_kind, policy, policy_source_ref, principal_id, acting_agent";

export interface RollupHop {
  decidedAt: Date;
  engine: string;
  pdpInstance: string;
  hop: HopFields;
}

function hourOf(d: Date): string {
  const t = new Date(d.getTime());
  t.setUTCMinutes(0, 0, 0);
  return t.toISOString();
}

export function aggregateHourly(hops: Iterable<RollupHop>): Record<string, string | number>[] {
  const counts = new Map<string, Record<string, string | number>>();
  for (const { decidedAt, engine, pdpInstance, hop } of hops) {
    const row = {
      bucket: hourOf(decidedAt),
      engine,
      pdp_instance: pdpInstance,
      effect: hop.effect,
      action: hop.action,
      resource_kind: hop.resourceKind ?? "",
      policy: hop.policy ?? "",
      policy_source_ref: hop.policySourceRef ?? "",
      principal_id: hop.principalId ?? "",
      acting_agent: hop.actingAgent ?? "",
    };
    const key = Object.values(row).join("\u0001");
    const known = counts.get(key);
    if (known) (known.hops as number)++;
    else counts.set(key, { ...row, hops: 1 });
  }
  return [...counts.values()];
}

/** Adds (or with sign -1, removes) hop counts. */
export async function applyRollup(client: pg.ClientBase, rows: Record<string, string | number>[], sign: 1 | -1 = 1): Promise<void> {
  if (rows.length === 0) return;
  const payload = JSON.stringify(rows, (_k, v) => (typeof v === "string" ? stripNul(v) : v));
  await client.query(
    `INSERT INTO hop_rollup_hourly (${KEY_COLUMNS}, hops)
     SELECT ${KEY_COLUMNS}, hops * $2::int
       FROM jsonb_to_recordset($1::jsonb) AS x(bucket timestamptz, engine text, pdp_instance text, effect text, action text,
            resource_kind text, policy text, policy_source_ref text, principal_id text, acting_agent text, hops int)
     ON CONFLICT (${KEY_COLUMNS}) DO UPDATE SET hops = hop_rollup_hourly.hops + excluded.hops`,
    [payload, sign],
  );
  if (sign < 0) await client.query(`DELETE FROM hop_rollup_hourly WHERE hops <= 0`);
}

/** Recomputes the whole rollup from hops (maintenance; also what tests compare against). */
export async function rebuildRollup(client: pg.ClientBase): Promise<void> {
  await client.query(`DELETE FROM hop_rollup_hourly`);
  await client.query(
    `INSERT INTO hop_rollup_hourly (${KEY_COLUMNS}, hops)
     SELECT date_trunc('hour', decided_at, 'UTC'), engine, pdp_instance, effect, action, coalesce(resource_kind, ''),
            coalesce(policy, ''), coalesce(policy_source_ref, ''), coalesce(principal_id, ''), coalesce(acting_agent, ''), count(*)
       FROM hops WHERE NOT is_conflict
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
  );
}
