// Renders OPA decision events (EventV1) for the agent gateway: tool invocations decided by
// `agents/tools/allow` and plain HTTP API calls decided by an Envoy ext_authz policy
// (`envoy/authz/allow`). The decision logic mirrors the bundle revision in force.

import type { JsonValue } from "../formats/types.ts";
import type { CerbosActor } from "./cerbos-decide.ts";
import { hex, rfc3339Nanos, traceparent, uuidV4 } from "./ids.ts";
import { opaRevisionAt, type PolicyTimeline } from "./policy-timeline.ts";
import type { Rng } from "./prng.ts";
import { OPA_VERSION, type ToolDef } from "./world.ts";

export interface OpaInstance {
  id: string;
  name: string;
  nextReqId: number;
}

export interface OpaCall {
  ms: number;
  instance: OpaInstance;
  actor: CerbosActor;
  taskId: string;
  traceId: string;
  spanId: string;
  clientAddress: string;
  /** Compact bearer token the agent presented. */
  token: string;
  tool?: { def: ToolDef; args: Record<string, JsonValue> };
  http?: { method: string; path: string; requiredScope: string | null };
  /** The mask policy erased the token from the logged input. */
  tokenErased?: boolean;
  /** Evaluation failed (e.g. conflicting rule outputs): error, no result. */
  evalError?: boolean;
}

export interface TimedEvent {
  ms: number;
  json: string;
  denied: boolean;
}

function effectiveScopes(actor: CerbosActor, attenuates: boolean): string[] {
  if (!attenuates || actor.agentChain.length < 2 || !actor.parentScopes) return actor.scopes;
  return actor.scopes.filter((s) => actor.parentScopes!.includes(s));
}

function decideTool(call: OpaCall, def: ToolDef, attenuates: boolean): { allow: boolean; reasons: string[] } {
  const scopes = effectiveScopes(call.actor, attenuates);
  const reasons: string[] = [];
  if (!scopes.includes(def.scope)) reasons.push(`missing scope ${def.scope}`);
  const amount = call.tool?.args.amount;
  const limit = attenuates ? 10_000 : 50_000;
  if (def.risk === "high" && typeof amount === "number" && amount > limit) reasons.push(`amount ${amount} over the agent limit ${limit}`);
  return { allow: reasons.length === 0, reasons };
}

export function renderOpaCall(call: OpaCall, rng: Rng, timeline: PolicyTimeline): TimedEvent {
  const revision = opaRevisionAt(timeline, call.ms);
  const event: Record<string, JsonValue> = {
    labels: { app: "agent-gateway", env: "prod", id: call.instance.id, version: OPA_VERSION },
    decision_id: uuidV4(rng),
    trace_id: call.traceId,
    span_id: hex(rng, 16),
    bundles: { "agents-authz": { revision: revision.revision }, common: { revision: timeline.commonRevision } },
  };
  let denied = false;
  let result: JsonValue | undefined;
  if (call.tool) {
    const { def, args } = call.tool;
    const subject: Record<string, JsonValue> = { id: call.actor.principalId, type: call.actor.agentChain.length ? "agent" : "human", roles: call.actor.roles };
    if (call.actor.agentChain.length) subject.on_behalf_of = call.actor.human.id;
    const input: Record<string, JsonValue> = {
      subject,
      action: "invoke",
      resource: { type: "mcp_tool", id: def.id, server: def.server, risk: def.risk },
      args,
      context: { task_id: call.taskId, traceparent: traceparent(call.traceId, call.spanId) },
    };
    if (!call.tokenErased) input.token = call.token;
    event.path = "agents/tools/allow";
    event.input = input;
    const decided = decideTool(call, def, revision.attenuates);
    denied = !decided.allow;
    result = { allow: decided.allow, reasons: decided.reasons };
  } else if (call.http) {
    const { method, path, requiredScope } = call.http;
    event.path = "envoy/authz/allow";
    event.input = {
      attributes: {
        request: {
          http: {
            method,
            path,
            host: "api.acme.example",
            headers: { authorization: `Bearer ${call.token}`, "x-request-id": uuidV4(rng), traceparent: traceparent(call.traceId, call.spanId), "x-task-id": call.taskId },
          },
        },
        source: { address: { socketAddress: { address: call.clientAddress.split(":")[0], portValue: Number(call.clientAddress.split(":")[1]) } } },
      },
      parsed_path: path.split("/").filter(Boolean),
    };
    const allowed = requiredScope !== null && effectiveScopes(call.actor, revision.attenuates).includes(requiredScope);
    denied = !allowed;
    result = { allowed, headers: { "x-ext-authz-check": allowed ? "allowed" : "denied" }, http_status: allowed ? 200 : 403 };
  }
  if (call.evalError) {
    event.error = { code: "eval_conflict_error", message: "functions must not produce multiple outputs for same inputs" };
    denied = false;
  } else if (result !== undefined) {
    event.result = result;
  }
  Object.assign(event, {
    requested_by: call.clientAddress,
    timestamp: rfc3339Nanos(call.ms, rng),
    metrics: {
      counter_server_query_cache_hit: rng.chance(0.9) ? 1 : 0,
      timer_rego_input_parse_ns: rng.between(8_000, 60_000),
      timer_rego_query_eval_ns: rng.between(90_000, 2_400_000),
      timer_server_handler_ns: rng.between(200_000, 3_000_000),
    },
    req_id: call.instance.nextReqId++,
    // The policies check token expiry with time.now_ns, so OPA caches it for replay.
    nd_builtin_cache: { "time.now_ns": { "[]": Math.floor(call.ms) * 1_000_000 } },
  });
  if (call.tokenErased) event.erased = ["/input/token"];
  return { ms: call.ms, json: JSON.stringify(event), denied };
}
