// Reads what a Cerbos decision entry logged — CheckInputs (with decoded JWT claims) and the recorded
// outputs — into the engine's request shape. Pre-0.18 entries kept both at top level.
import type { CheckInput } from "../engine/cerbos/index.ts";

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

export interface RecordedAction {
  effect: "EFFECT_ALLOW" | "EFFECT_DENY" | string;
  policy?: string;
  scope?: string;
}

export interface LoggedCheck {
  inputIndex: number;
  input: CheckInput;
  recordedActions: Record<string, RecordedAction>;
  recordedDerivedRoles: string[];
  recordedOutputs: unknown[];
  recordedEvaluationErrors: unknown[];
}

export function checkResourcesOf(entry: Record<string, unknown>): { inputs: unknown[]; outputs: unknown[] } | undefined {
  const cr = asObject(entry.checkResources);
  if (cr) return { inputs: Array.isArray(cr.inputs) ? cr.inputs : [], outputs: Array.isArray(cr.outputs) ? cr.outputs : [] };
  if (Array.isArray(entry.inputs)) return { inputs: entry.inputs, outputs: Array.isArray(entry.outputs) ? entry.outputs : [] };
  return undefined;
}

export function toCheckInput(raw: unknown): CheckInput | undefined {
  const o = asObject(raw);
  const principal = asObject(o?.principal);
  const resource = asObject(o?.resource);
  if (!o || !principal || !resource) return undefined;
  return {
    requestId: typeof o.requestId === "string" ? o.requestId : "",
    principal: {
      id: String(principal.id ?? ""),
      roles: Array.isArray(principal.roles) ? principal.roles.map(String) : [],
      attr: (asObject(principal.attr) ?? {}) as CheckInput["principal"]["attr"],
      policyVersion: typeof principal.policyVersion === "string" ? principal.policyVersion : "",
      scope: typeof principal.scope === "string" ? principal.scope : "",
    },
    resource: {
      kind: String(resource.kind ?? ""),
      id: String(resource.id ?? ""),
      attr: (asObject(resource.attr) ?? {}) as CheckInput["resource"]["attr"],
      policyVersion: typeof resource.policyVersion === "string" ? resource.policyVersion : "",
      scope: typeof resource.scope === "string" ? resource.scope : "",
    },
    actions: Array.isArray(o.actions) ? o.actions.map(String) : [],
    auxData: asObject(o.auxData) as CheckInput["auxData"],
  };
}

/** The checks a decision entry logged; null when it is not a CheckResources decision. */
export function loggedChecks(entry: Json): LoggedCheck[] | null {
  const cr = checkResourcesOf(entry);
  if (!cr) return null;
  const out: LoggedCheck[] = [];
  cr.inputs.forEach((raw, inputIndex) => {
    const input = toCheckInput(raw);
    if (!input) return;
    // Outputs align with inputs by position (Cerbos's contract); fall back to resource id.
    let output = asObject(cr.outputs[inputIndex]);
    if (output && typeof output.resourceId === "string" && output.resourceId !== input.resource.id) {
      output = cr.outputs.map(asObject).find((o) => o?.resourceId === input.resource.id) ?? output;
    }
    const actions: Record<string, RecordedAction> = {};
    for (const [a, v] of Object.entries(asObject(output?.actions) ?? {})) {
      const ae = asObject(v) ?? {};
      actions[a] = { effect: String(ae.effect ?? "EFFECT_DENY"), policy: ae.policy as string | undefined, scope: ae.scope as string | undefined };
    }
    out.push({
      inputIndex,
      input,
      recordedActions: actions,
      recordedDerivedRoles: Array.isArray(output?.effectiveDerivedRoles) ? (output!.effectiveDerivedRoles as unknown[]).map(String) : [],
      recordedOutputs: Array.isArray(output?.outputs) ? (output!.outputs as unknown[]) : [],
      recordedEvaluationErrors: Array.isArray(output?.evaluationErrors) ? (output!.evaluationErrors as unknown[]) : [],
    });
  });
  return out;
}
