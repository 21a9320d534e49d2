// Cerbos decision entry → hops: one per (CheckInput × action), or per action of a PlanResources call.

import type { CheckInput, CheckOutput, DecisionEntry } from "./cerbos-schema.ts";
import { currentActorOf } from "./jwt-claims.ts";
import type { Effect, HopFields } from "./types.ts";

type PlanResources = NonNullable<DecisionEntry["planResources"]>;

export function cerbosEffect(effect: string | undefined): Effect {
  if (effect === "EFFECT_ALLOW") return "allow";
  if (effect === "EFFECT_DENY") return "deny";
  return "unknown";
}

const PLAN_FILTER_EFFECT: Record<string, Effect> = {
  KIND_ALWAYS_ALLOWED: "allow",
  KIND_ALWAYS_DENIED: "deny",
  KIND_CONDITIONAL: "conditional",
};

function nonEmpty(s: string | undefined | null): string | null {
  return s === undefined || s === null || s === "" ? null : s;
}

function stringAttr(attr: Record<string, unknown> | undefined, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = attr?.[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return null;
}

type Principal = CheckInput["principal"];
type AuxData = CheckInput["auxData"];

/** The agent acting, in order of how directly the record says so (see delegation.md §1.10). */
export function cerbosActingAgent(principal: Principal, auxData: AuxData, annotations: Record<string, unknown> | undefined): string | null {
  const fromJwt = currentActorOf(auxData?.jwt);
  if (fromJwt) return fromJwt;
  for (const named of Object.values(auxData?.jwts ?? {})) {
    const actor = currentActorOf(named.claims);
    if (actor) return actor;
  }
  const attr = principal?.attr;
  if (attr && ("on_behalf_of" in attr || "onBehalfOf" in attr) && principal?.id) return principal.id;
  return stringAttr(attr, "agent_id", "agentId") ?? stringAttr(annotations, "agent_id");
}

/**
 * The policy revision the PDP reported. policySource is the live one (git hash / hub bundle);
 * per-policy commit_hash can be stale after a live update (cerbos.md §1.5), so it is the fallback,
 * preferring the entry for the policy that actually decided.
 */
export function cerbosPolicySourceRef(entry: DecisionEntry, decidingPolicy: string | null): string | null {
  const source = entry.policySource;
  const live =
    nonEmpty(source?.git?.hash) ??
    nonEmpty(source?.hub?.remoteBundle?.bundleId) ??
    nonEmpty(source?.hub?.localBundle?.bundleId) ??
    nonEmpty(source?.hub?.embeddedBundle?.bundleId) ??
    nonEmpty(source?.embeddedPdp?.commitHash);
  if (live) return live;
  const policies = entry.auditTrail?.effectivePolicies ?? {};
  const ownHash = decidingPolicy ? policies[decidingPolicy]?.attributes?.commit_hash : undefined;
  if (typeof ownHash === "string" && ownHash) return ownHash;
  for (const p of Object.values(policies)) {
    const hash = p.attributes?.commit_hash;
    if (typeof hash === "string" && hash) return hash;
  }
  return null;
}

/** Pairs inputs with outputs: by position when counts agree, else by requestId + resourceId. */
function pairInputsWithOutputs(inputs: CheckInput[], outputs: CheckOutput[]): Array<{ inputIndex: number; input?: CheckInput; output?: CheckOutput }> {
  if (inputs.length === outputs.length) return inputs.map((input, i) => ({ inputIndex: i, input, output: outputs[i] }));
  const unused = new Set(outputs.map((_, j) => j));
  const pairs: Array<{ inputIndex: number; input?: CheckInput; output?: CheckOutput }> = inputs.map((input, i) => {
    const match = [...unused].find((j) => {
      const out = outputs[j];
      const sameResource = (out.resourceId ?? "") === (input.resource?.id ?? "");
      const sameRequest = !out.requestId || !input.requestId || out.requestId === input.requestId;
      return sameResource && sameRequest;
    });
    if (match === undefined) return { inputIndex: i, input };
    unused.delete(match);
    return { inputIndex: i, input, output: outputs[match] };
  });
  // Outputs no input claims still become hops; they are numbered after the inputs so hop identity
  // (record, inputIndex, action) stays unique.
  let next = inputs.length;
  for (const j of unused) pairs.push({ inputIndex: next++, output: outputs[j] });
  return pairs;
}

function checkHops(entry: DecisionEntry, inputs: CheckInput[], outputs: CheckOutput[], callError: string | undefined): HopFields[] {
  const annotations = entry.requestContext?.annotations;
  const hops: HopFields[] = [];
  for (const { inputIndex, input, output } of pairInputsWithOutputs(inputs, outputs)) {
    // A Set keeps (record, inputIndex, action) unique even if a producer repeated an action.
    const actions = new Set(input?.actions ?? []);
    for (const a of Object.keys(output?.actions ?? {})) actions.add(a);
    const actingAgent = cerbosActingAgent(input?.principal, input?.auxData, annotations);
    for (const action of actions) {
      const decided = output?.actions?.[action];
      const policy = nonEmpty(decided?.policy);
      hops.push({
        inputIndex,
        action,
        effect: decided ? cerbosEffect(decided.effect) : callError ? "error" : "unknown",
        principalId: nonEmpty(input?.principal?.id),
        roles: input?.principal?.roles ?? [],
        actingAgent,
        resourceKind: nonEmpty(input?.resource?.kind),
        resourceId: nonEmpty(input?.resource?.id) ?? nonEmpty(output?.resourceId),
        policy,
        scope: nonEmpty(decided?.scope) ?? nonEmpty(input?.resource?.scope),
        policyVersion: nonEmpty(input?.resource?.policyVersion),
        policySourceRef: cerbosPolicySourceRef(entry, policy),
        derivedRoles: output?.effectiveDerivedRoles ?? [],
        requestId: nonEmpty(input?.requestId) ?? nonEmpty(output?.requestId),
        method: "CheckResources",
      });
    }
  }
  return hops;
}

function planHops(entry: DecisionEntry, plan: PlanResources): HopFields[] {
  const { input, output } = plan;
  const actions = input?.actions ?? (input?.action ? [input.action] : output?.actions ?? (output?.action ? [output.action] : []));
  const filterKind = output?.filter?.kind;
  const effect: Effect = filterKind && PLAN_FILTER_EFFECT[filterKind] ? PLAN_FILTER_EFFECT[filterKind] : plan.error ? "error" : "unknown";
  const actingAgent = cerbosActingAgent(input?.principal, input?.auxData, entry.requestContext?.annotations);
  return [...new Set(actions)].map((action) => ({
    inputIndex: 0,
    action,
    effect,
    principalId: nonEmpty(input?.principal?.id),
    roles: input?.principal?.roles ?? [],
    actingAgent,
    resourceKind: nonEmpty(input?.resource?.kind) ?? nonEmpty(output?.kind),
    resourceId: null,
    // A plan names no deciding policy; matchedScopes says which scope answered per action.
    policy: null,
    scope: nonEmpty(output?.matchedScopes?.[action]) ?? nonEmpty(output?.scope) ?? nonEmpty(input?.resource?.scope),
    policyVersion: nonEmpty(input?.resource?.policyVersion),
    policySourceRef: cerbosPolicySourceRef(entry, null),
    derivedRoles: [],
    requestId: nonEmpty(input?.requestId) ?? nonEmpty(output?.requestId),
    method: "PlanResources",
  }));
}

export function cerbosDecisionHops(entry: DecisionEntry): HopFields[] {
  if (entry.checkResources) {
    const cr = entry.checkResources;
    return checkHops(entry, cr.inputs ?? [], cr.outputs ?? [], cr.error);
  }
  if (entry.planResources) return planHops(entry, entry.planResources);
  if (entry.inputs || entry.outputs) return checkHops(entry, entry.inputs ?? [], entry.outputs ?? [], entry.error);
  return [];
}
