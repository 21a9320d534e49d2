// Runs entries through the real lib/formats parser so tests extract from what ingest stores.

import { parseDecisionLog } from "../../formats/index.ts";
import type { JsonObject, ParsedRecord } from "../../formats/types.ts";
import { extractDelegation } from "../extract.ts";
import type { DelegationFacts, ExtractionRules } from "../types.ts";

export function parseEntry(entry: JsonObject): ParsedRecord {
  const result = parseDecisionLog(Buffer.from(JSON.stringify(entry)));
  if (result.rejected.length) throw new Error(`fixture rejected: ${result.rejected.map((r) => r.reason).join("; ")}`);
  return result.records[0];
}

/** Facts for every hop of the entry, in hop order. */
export function factsOfEntry(entry: JsonObject, rules?: ExtractionRules): DelegationFacts[] {
  const record = parseEntry(entry);
  return record.hops.map((hop) => extractDelegation({ engine: record.engine, entry: record.entry, inputIndex: hop.inputIndex, hop }, rules));
}

/** Facts of the entry's first hop. */
export function factsOf(entry: JsonObject, rules?: ExtractionRules): DelegationFacts {
  const [facts] = factsOfEntry(entry, rules);
  if (!facts) throw new Error("fixture produced no hops");
  return facts;
}

/** A Cerbos decision entry with one CheckInput; `input` fields override the defaults. */
export function cerbosEntry(input: JsonObject, extra: JsonObject = {}): JsonObject {
  const resource = (input.resource as JsonObject | undefined) ?? { kind: "document", id: "doc-1" };
  return {
    callId: `01CALL${Math.abs(hashCode(JSON.stringify(input)))}`,
    timestamp: "2026-09-01T10:00:00.000Z",
    checkResources: {
      inputs: [{ principal: { id: "agent-a1", roles: ["agent"] }, resource, actions: ["read"], ...input }],
      outputs: [{ resourceId: String(resource.id ?? ""), actions: { read: { effect: "EFFECT_ALLOW", policy: "resource.document.vdefault" } } }],
    },
    ...extra,
  };
}

/** An OPA event; `input` becomes the event input. */
export function opaEvent(input: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    decision_id: `d-${Math.abs(hashCode(JSON.stringify(input)))}`,
    timestamp: "2026-09-01T10:00:00Z",
    path: "authz/allow",
    input,
    result: true,
    ...extra,
  };
}

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
