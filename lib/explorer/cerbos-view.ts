// Reads a stored Cerbos entry (DecisionLogEntry or AccessLogEntry, envelope already removed at ingest)
// into the sections the detail page shows. Field meanings: reference/cerbos.md §1.3–1.7.
import type { JsonObject, JsonValue } from "../formats/types.ts";
import { asArray, asObject, asString, asStrings } from "./json-access.ts";

export interface CerbosActionEffect {
  action: string;
  /** "allow" / "deny" (EFFECT_ prefix removed), or the raw value when unusual. */
  effect: string;
  policy?: string;
  scope?: string;
}

export interface CerbosInputView {
  index: number;
  requestId?: string;
  principal?: JsonObject;
  resource?: JsonObject;
  actions: string[];
  auxData?: JsonValue;
  effects: CerbosActionEffect[];
  derivedRoles: string[];
  outputs: JsonValue[];
  evaluationErrors: JsonValue[];
  validationErrors: JsonValue[];
}

export interface CerbosPlanView {
  input?: JsonObject;
  output?: JsonObject;
}

export interface CerbosEntryView {
  method: "CheckResources" | "PlanResources" | "access" | "unknown";
  callId?: string;
  timestamp?: string;
  inputs: CerbosInputView[];
  plan?: CerbosPlanView;
  /** checkResources.error / planResources.error / legacy top-level error. */
  error?: string;
  /** Access entries: the gRPC method and status code (0 = OK, omitted by the file backend). */
  accessMethod?: string;
  statusCode?: number;
  peer?: JsonValue;
  metadata?: JsonValue;
  requestContext?: JsonValue;
  auditTrail?: JsonValue;
  policySource?: JsonValue;
  oversized: boolean;
}

export function shortEffect(effect: string | undefined): string {
  if (!effect) return "unknown";
  const m = /^EFFECT_(.+)$/.exec(effect);
  return m ? m[1].toLowerCase() : effect;
}

function effectsOf(output: JsonObject | undefined): CerbosActionEffect[] {
  const actions = asObject(output?.actions);
  if (!actions) return [];
  return Object.entries(actions).map(([action, v]) => {
    const o = asObject(v);
    return { action, effect: shortEffect(asString(o?.effect)), policy: asString(o?.policy), scope: asString(o?.scope) };
  });
}

export function readCerbosEntry(entry: JsonObject, kind: string): CerbosEntryView {
  const base = {
    callId: asString(entry.callId),
    timestamp: asString(entry.timestamp),
    peer: entry.peer,
    metadata: entry.metadata,
    requestContext: entry.requestContext,
    auditTrail: entry.auditTrail,
    policySource: entry.policySource,
    oversized: entry.oversized === true,
  };
  if (kind === "access") {
    const status = entry.statusCode;
    return {
      ...base,
      method: "access",
      inputs: [],
      accessMethod: asString(entry.method),
      statusCode: typeof status === "number" ? status : 0,
    };
  }
  const plan = asObject(entry.planResources);
  if (plan) {
    return { ...base, method: "PlanResources", inputs: [], plan: { input: asObject(plan.input), output: asObject(plan.output) }, error: asString(plan.error) };
  }
  // Before Cerbos 0.18 the CheckResources data sat at the top level.
  const check = asObject(entry.checkResources) ?? { inputs: entry.inputs ?? [], outputs: entry.outputs ?? [], error: entry.error ?? null };
  const outputs = asArray(check.outputs).map(asObject);
  const inputs = asArray(check.inputs).map((raw, index): CerbosInputView => {
    const input = asObject(raw) ?? {};
    // outputs[i] answers inputs[i]; fall back to matching by requestId + resourceId for odd producers.
    const resource = asObject(input.resource);
    const output =
      outputs[index] ??
      outputs.find((o) => o && asString(o.resourceId) === asString(resource?.id) && asString(o.requestId) === asString(input.requestId));
    return {
      index,
      requestId: asString(input.requestId),
      principal: asObject(input.principal),
      resource,
      actions: asStrings(input.actions),
      auxData: input.auxData,
      effects: effectsOf(output),
      derivedRoles: asStrings(output?.effectiveDerivedRoles),
      outputs: asArray(output?.outputs),
      evaluationErrors: asArray(output?.evaluationErrors),
      validationErrors: asArray(output?.validationErrors),
    };
  });
  return { ...base, method: asObject(entry.checkResources) || inputs.length ? "CheckResources" : "unknown", inputs, error: asString(check.error) };
}
