// Step 1 of the task derivation: run lib/delegation's extraction over hops not yet seen (id above the
// watermark) and store the facts per hop. Idempotent; conflicting records are skipped (they restate a
// decision already counted, and stay visible, flagged, in the explorer).
import type pg from "pg";
import type { Effect, HopFields, JsonObject } from "../formats/types.ts";
import { extractDelegation, rulesForSource, type DelegationFacts } from "../delegation/index.ts";
import { extractionConfig } from "./config.ts";

export interface NewHopFacts {
  hopId: string;
  decidedAt: Date;
  facts: DelegationFacts;
}

const DEFAULT_HOPS_PER_PASS = 2_000;

interface HopRow {
  id: string;
  record_id: string;
  input_index: number;
  decided_at: Date;
  engine: "cerbos" | "opa";
  pdp_instance: string;
  method: string;
  request_id: string | null;
  principal_id: string | null;
  roles: string[];
  acting_agent: string | null;
  action: string;
  resource_kind: string | null;
  resource_id: string | null;
  effect: Effect;
  policy: string | null;
  scope: string | null;
  policy_version: string | null;
  policy_source_ref: string | null;
  derived_roles: string[];
  is_conflict: boolean;
}

function hopFields(r: HopRow): HopFields {
  return {
    inputIndex: r.input_index,
    action: r.action,
    effect: r.effect,
    principalId: r.principal_id,
    roles: r.roles,
    actingAgent: r.acting_agent,
    resourceKind: r.resource_kind,
    resourceId: r.resource_id,
    policy: r.policy,
    scope: r.scope,
    policyVersion: r.policy_version,
    policySourceRef: r.policy_source_ref,
    derivedRoles: r.derived_roles,
    requestId: r.request_id,
    method: r.method,
  };
}

/** Extracts facts for the next pass of new hops; returns them (empty when caught up). */
export async function deriveNextPass(client: pg.ClientBase, passSize = DEFAULT_HOPS_PER_PASS): Promise<{ facts: NewHopFacts[]; lastHopId: string | null }> {
  const { rows: state } = await client.query<{ last: string }>(`SELECT last_hop_id::text AS last FROM delegation_state WHERE id = 1`);
  const watermark = state[0]?.last ?? "0";
  const { rows: hops } = await client.query<HopRow>(
    `SELECT id::text, record_id::text, input_index, decided_at, engine, pdp_instance, method, request_id, principal_id, roles,
            acting_agent, action, resource_kind, resource_id, effect, policy, scope, policy_version, policy_source_ref,
            derived_roles, is_conflict
       FROM hops WHERE id > $1 ORDER BY hops.id LIMIT $2`, // qualified: a bare `id` would sort by the ::text output column
    [watermark, passSize],
  );
  if (hops.length === 0) return { facts: [], lastHopId: null };
  const recordIds = [...new Set(hops.filter((h) => !h.is_conflict).map((h) => h.record_id))];
  const { rows: records } = await client.query<{ id: string; parsed: JsonObject }>(
    `SELECT id::text, parsed FROM records WHERE id = ANY($1::bigint[])`,
    [recordIds],
  );
  const entries = new Map(records.map((r) => [r.id, r.parsed]));
  const config = extractionConfig();
  const out: NewHopFacts[] = [];
  for (const h of hops) {
    const entry = entries.get(h.record_id);
    if (h.is_conflict || !entry) continue;
    const facts = extractDelegation({ engine: h.engine, entry, inputIndex: h.input_index, hop: hopFields(h) }, rulesForSource(h.pdp_instance, config));
    out.push({ hopId: h.id, decidedAt: h.decided_at, facts });
  }
  if (out.length) {
    await client.query(
      `INSERT INTO hop_delegation (hop_id, decided_at, initiating_human, acting_agent, actor_chain, delegated_scopes,
                                   explicit_task_id, txn, trace_id, facts)
       SELECT x.hop_id, x.decided_at, x.initiating_human, x.acting_agent, x.actor_chain, x.delegated_scopes,
              x.explicit_task_id, x.txn, x.trace_id, x.facts
         FROM jsonb_to_recordset($1::jsonb) AS x(hop_id bigint, decided_at timestamptz, initiating_human text, acting_agent text,
              actor_chain text[], delegated_scopes text[], explicit_task_id text, txn text, trace_id text, facts jsonb)
       ON CONFLICT (hop_id) DO NOTHING`,
      [
        JSON.stringify(
          out.map(({ hopId, decidedAt, facts }) => ({
            hop_id: hopId,
            decided_at: decidedAt.toISOString(),
            initiating_human: facts.initiatingHuman?.id ?? null,
            acting_agent: facts.actingAgent.id,
            actor_chain: facts.actorChain.map((a) => a.id),
            delegated_scopes: facts.delegatedScopes,
            explicit_task_id: facts.taskId,
            txn: facts.txn?.txn ?? null,
            trace_id: facts.trace.traceId,
            facts,
          })),
          (_k, v) => (typeof v === "string" ? v.replaceAll("\u0000", "\uFFFD") : v),
        ),
      ],
    );
  }
  const lastHopId = hops[hops.length - 1].id;
  await client.query(`UPDATE delegation_state SET last_hop_id = $1 WHERE id = 1`, [lastHopId]);
  return { facts: out, lastHopId };
}
