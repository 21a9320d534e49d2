// Renders one Cerbos API call as the file backend writes it: an access line and a decision line
// sharing a ULID callId (in either order, as the async writer produces), with the decision written
// ~0.5–1.5 ms after the access entry. Calls rejected in the handler get an access line only.

import type { JsonValue } from "../formats/types.ts";
import { decideCerbos, derivedRolesFor, type ActionDecision, type CerbosActor, type DemoResource } from "./cerbos-decide.ts";
import { rfc3339Nanos, traceparent, ulid } from "./ids.ts";
import { cerbosVersionAt, type PolicyTimeline } from "./policy-timeline.ts";
import type { Rng } from "./prng.ts";
import { POLICY_REPO, type CerbosPdp } from "./world.ts";

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

function sourceFile(policy: string): string {
  const [kindAndVersion, scope] = policy.split("/");
  const [type, name] = kindAndVersion.split(".");
  const dir = type === "principal" ? "principal_policies" : "resource_policies";
  return `${dir}/${name}${scope ? `_${scope.replace(/\./g, "_")}` : ""}.yaml`;
}

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
    policySource: { git: { repositoryUrl: POLICY_REPO, branch: "main", subdirectory: "policies", hash: version.hash } },
    requestContext: { annotations },
  };
}

function principalOf(actor: CerbosActor): Record<string, JsonValue> {
  const attr: Record<string, JsonValue> = { department: actor.human.department };
  if (actor.agentChain.length) {
    attr.on_behalf_of = actor.human.id;
    attr.scopes = actor.scopes;
    attr.delegation_depth = actor.agentChain.length;
  }
  return { id: actor.principalId, roles: actor.roles, attr };
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
  const consulted = (policy: string) => {
    if (policy === "NO_MATCH") return;
    const base = policy.split("/")[0];
    for (const key of base === policy ? [policy] : [policy, base]) {
      effective[key] = { attributes: { driver: "git", source: sourceFile(key), commit_hash: commitHash } };
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
      const input: Record<string, JsonValue> = { requestId: call.requestId, resource: resource as unknown as JsonValue, principal: principalOf(call.actor), actions };
      if (auxData) input.auxData = auxData;
      inputs.push(input);
      const decided: Record<string, ActionDecision> = {};
      for (const action of actions) decided[action] = decideCerbos(call.actor, resource, action, c.version.version);
      const output: Record<string, JsonValue> = {
        requestId: call.requestId,
        resourceId: resource.id,
        actions: Object.fromEntries(
          actions.map((a) => {
            const d = decided[a];
            consulted(d.policy);
            hops++;
            if (d.effect === "EFFECT_DENY") denied++;
            const effect: Record<string, JsonValue> = { effect: d.effect, policy: d.policy };
            if (d.scope) effect.scope = d.scope;
            return [a, effect];
          }),
        ),
      };
      const derived = derivedRolesFor(call.actor, resource);
      if (derived.length) output.effectiveDerivedRoles = derived;
      const userOutputs = actions.filter((a) => decided[a].output !== undefined).map((a) => ({ src: `${decided[a].policy}#${decided[a].rule}`, action: a, val: decided[a].output! }));
      if (userOutputs.length) output.outputs = userOutputs;
      const celErrors = actions.flatMap((a) => decided[a].celErrors ?? []);
      if (celErrors.length) output.evaluationErrors = celErrors.map((e) => ({ celError: e }));
      outputs.push(output);
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
