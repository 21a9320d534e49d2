// Renders one Cerbos API call as the file backend writes it: an access line and a decision line
// sharing a ULID callId (in either order, as the async writer produces), with the decision written
// ~0.5–1.5 ms after the access entry. Calls rejected in the handler get an access line only.

import type { JsonValue } from "../formats/types.ts";
import { decideCheck, principalOf, type CerbosActor, type DemoResource } from "./cerbos-decide.ts";
import { demoCerbosPolicySet } from "./cerbos-policies.ts";
import { rfc3339Nanos, traceparent, ulid } from "./ids.ts";
import { cerbosVersionAt, type PolicyTimeline } from "./policy-timeline.ts";
import type { Rng } from "./prng.ts";
import { POLICY_REPO, POLICY_SUBDIRECTORY, type CerbosPdp } from "./world.ts";

export interface CerbosCall {
  ms: number;
  pdp: CerbosPdp;
  actor: CerbosActor;
  taskId: string;
  traceId: string;
  spanId: string;
  peerAddress: string;
  userAgent: string;
  /** Decoded, verified claims as Cerbos logs them (auxData.jwt); absent when the caller sent none. */
  jwt?: Record<string, JsonValue>;
  requestId: string;
  check?: Array<{ resource: DemoResource; actions: string[] }>;
  plan?: { kind: string; actions: string[] };
  /** Rejected inside the handler (e.g. batch over the configured limit): access entry only. */
  rejectedStatus?: number;
}

export interface TimedLine {
  ms: number;
  pdp: CerbosPdp;
  line: string;
  kind: "access" | "decision";
  /** Decision lines: how many hops denied / total, for stats. */
  denied?: number;
  hops?: number;
}

const SERVICE = "/cerbos.svc.v1.CerbosService";

function common(call: CerbosCall, timeline: PolicyTimeline) {
  const version = cerbosVersionAt(timeline, call.ms);
  const tp = traceparent(call.traceId, call.spanId);
  const chain = [call.actor.human.id, ...call.actor.agentChain];
  const annotations: Record<string, JsonValue> = { task_id: call.taskId, delegation_chain: chain, traceparent: tp };
  if (call.actor.agentChain.length) annotations.agent_id = call.actor.agentChain[call.actor.agentChain.length - 1];
  return {
    version,
    peer: { address: call.peerAddress, userAgent: call.userAgent, forwardedFor: call.peerAddress.split(":")[0] },
    metadata: { traceparent: { values: [tp] }, "x-task-id": { values: [call.taskId] } },
    policySource: { git: { repositoryUrl: POLICY_REPO, branch: "main", subdirectory: POLICY_SUBDIRECTORY, hash: version.hash } },
    requestContext: { annotations },
  };
}

export function renderCerbosCall(call: CerbosCall, rng: Rng, timeline: PolicyTimeline): TimedLine[] {
  const callId = ulid(rng, call.ms);
  const c = common(call, timeline);
  const accessMs = call.ms - 0.5 - rng.next();
  const method = `${SERVICE}/${call.plan ? "PlanResources" : "CheckResources"}`;
  const access: Record<string, JsonValue> = {
    "log.logger": "cerbos.audit",
    "log.kind": "access",
    callId,
    timestamp: rfc3339Nanos(accessMs, rng),
    peer: c.peer,
    metadata: c.metadata,
    method,
    policySource: c.policySource,
    requestContext: c.requestContext,
  };
  if (call.rejectedStatus) access.statusCode = call.rejectedStatus;
  // Both lines sort by the call time so their relative order (either way round) survives sorting.
  const accessLine: TimedLine = { ms: call.ms, pdp: call.pdp, line: JSON.stringify(access), kind: "access" };
  if (call.rejectedStatus) return [accessLine];

  // pdp-1 restarts on every policy change; pdp-2 never does, so its per-policy commit_hash stays at
  // the startup commit while policySource.git.hash moves on (the Cerbos quirk in cerbos.md §1.5).
  const commitHash = call.pdp === "cerbos-pdp-1" ? c.version.hash : timeline.cerbos[0].hash;
  const effective: Record<string, JsonValue> = {};
  const policySet = demoCerbosPolicySet(c.version.version);
  // A scoped decision consulted the leaf policy and the root one it falls back to.
  const consulted = (policy: string) => {
    const base = policy.split("/")[0];
    for (const key of base === policy ? [policy] : [policy, base]) {
      if (effective[key]) continue;
      effective[key] = { attributes: { driver: "git", source: policySet.sourceOf(key) ?? `resource_policies/${key.split(".")[1]}.yaml`, commit_hash: commitHash } };
    }
  };
  let denied = 0;
  let hops = 0;
  const decision: Record<string, JsonValue> = { "log.logger": "cerbos.audit", "log.kind": "decision", callId, timestamp: rfc3339Nanos(call.ms, rng), peer: c.peer };
  const auxData = call.jwt ? { jwt: call.jwt } : undefined;
  if (call.check) {
    const inputs: JsonValue[] = [];
    const outputs: JsonValue[] = [];
    for (const { resource, actions } of call.check) {
      const input = { requestId: call.requestId, resource, principal: principalOf(call.actor), actions, ...(auxData ? { auxData } : {}) };
      inputs.push(input as unknown as JsonValue);
      // The PDP evaluates at the decision time (time functions see it as now()).
      const decided = decideCheck(c.version.version, input, call.ms);
      for (const policy of decided.policies) consulted(policy);
      hops += decided.hops;
      denied += decided.denied;
      outputs.push(decided.logged);
    }
    decision.checkResources = { inputs, outputs };
  } else if (call.plan) {
    const { kind, actions } = call.plan;
    const h = call.actor.human;
    const conditional = call.actor.principalId !== "heidi";
    const input: Record<string, JsonValue> = { requestId: call.requestId, actions, principal: principalOf(call.actor), resource: { kind }, includeMeta: true };
    if (auxData) input.auxData = auxData;
    const filter: Record<string, JsonValue> = conditional
      ? {
          kind: "KIND_CONDITIONAL",
          condition: {
            expression: {
              operator: "or",
              operands: [
                { expression: { operator: "eq", operands: [{ variable: "request.resource.attr.owner" }, { value: h.id }] } },
                { expression: { operator: "eq", operands: [{ variable: "request.resource.attr.department" }, { value: h.department }] } },
              ],
            },
          },
        }
      : { kind: "KIND_ALWAYS_ALLOWED" };
    const output: Record<string, JsonValue> = { requestId: call.requestId, kind, policyVersion: "default", filter, actions, matchedScopes: Object.fromEntries(actions.map((a) => [a, ""])) };
    if (conditional) output.filterDebug = `(or (eq request.resource.attr.owner "${h.id}") (eq request.resource.attr.department "${h.department}"))`;
    decision.planResources = { input, output };
    consulted(`resource.${kind}.vdefault`);
    hops += actions.length;
  }
  Object.assign(decision, { metadata: c.metadata, auditTrail: { effectivePolicies: effective }, policySource: c.policySource, requestContext: c.requestContext });
  const decisionLine: TimedLine = { ms: call.ms, pdp: call.pdp, line: JSON.stringify(decision), kind: "decision", denied, hops };
  return rng.chance(0.8) ? [accessLine, decisionLine] : [decisionLine, accessLine];
}
