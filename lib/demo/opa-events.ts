// Renders OPA decision events (EventV1) for the agent gateway: tool invocations decided by
// `agents/tools/allow` and plain HTTP API calls decided by an Envoy ext_authz policy
// (`envoy/authz/allow`). Results come from the real demo bundle (lib/demo/bundles/r<generation>)
// in force at the event's time, evaluated by the embedded Rego engine, so every event replays to
// what it says.

import type { JsonValue } from "../formats/types.ts";
import type { CerbosActor } from "./cerbos-decide.ts";
import { base64urlRandom, hex, rfc3339Nanos, traceparent, uuidV4 } from "./ids.ts";
import { demoOpaPolicySet, type OpaGeneration } from "./opa-bundles.ts";
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
  /** The route table in the bundle says which scope a route requires. */
  http?: { method: string; path: string };
  /** The mask policy erased the token from the logged input. */
  tokenErased?: boolean;
  /**
   * The call trips a conflict in the policies, so evaluation fails (error, no result): the MCP
   * server declares a risk other than the registry's, or a sidecar forwards a second, refreshed token.
   */
  evalError?: boolean;
}

export interface TimedEvent {
  ms: number;
  json: string;
  denied: boolean;
}

/** What OPA logs for a failed evaluation: the engine's "file:line: code: message" split apart. */
function opaError(error: { code: string; message: string }): Record<string, JsonValue> {
  const m = /^(.+?):(\d+): (\w+): (.*)$/s.exec(error.message);
  if (!m) return { code: error.code, message: error.message };
  return { code: error.code, message: m[4], location: { file: m[1], row: Number(m[2]), col: 1 } };
}

/**
 * Evaluates the decision path in the bundle in force, as OPA did: `now` is the decision time and
 * time.now_ns comes from the cache the event records.
 */
function decide(generation: OpaGeneration, query: string, input: JsonValue, ms: number, ndBuiltinCache: Record<string, Record<string, JsonValue>>) {
  const out = demoOpaPolicySet(generation).evaluate({ query, input, ndBuiltinCache }, { now: new Date(ms) });
  return { result: out.error ? undefined : (out.bindings[0]?.value as JsonValue | undefined), error: out.error };
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
  if (call.tool) {
    const { def, args } = call.tool;
    const subject: Record<string, JsonValue> = { id: call.actor.principalId, type: call.actor.agentChain.length ? "agent" : "human", roles: call.actor.roles };
    if (call.actor.agentChain.length) subject.on_behalf_of = call.actor.human.id;
    const input: Record<string, JsonValue> = {
      subject,
      action: "invoke",
      resource: { type: "mcp_tool", id: def.id, server: def.server, risk: call.evalError ? (def.risk === "high" ? "low" : "high") : def.risk },
      args,
      context: { task_id: call.taskId, traceparent: traceparent(call.traceId, call.spanId) },
    };
    input.token = call.token;
    event.path = "agents/tools/allow";
    event.input = input;
  } else if (call.http) {
    const { method, path } = call.http;
    const headers: Record<string, JsonValue> = { authorization: `Bearer ${call.token}`, "x-request-id": uuidV4(rng), traceparent: traceparent(call.traceId, call.spanId), "x-task-id": call.taskId };
    if (call.evalError) headers["x-forwarded-access-token"] = `${call.token.slice(0, call.token.lastIndexOf("."))}.${base64urlRandom(rng, 86)}`;
    event.path = "envoy/authz/allow";
    event.input = {
      attributes: {
        request: {
          http: {
            method,
            path,
            host: "api.acme.example",
            headers,
          },
        },
        source: { address: { socketAddress: { address: call.clientAddress.split(":")[0], portValue: Number(call.clientAddress.split(":")[1]) } } },
      },
      parsed_path: path.split("/").filter(Boolean),
    };
  }
  // The policies check token expiry with time.now_ns, so OPA caches it for replay.
  const ndBuiltinCache = { "time.now_ns": { "[]": Math.floor(call.ms) * 1_000_000 } };
  let denied = false;
  if (typeof event.path === "string") {
    const decided = decide(revision.generation, `data.${event.path.replaceAll("/", ".")}`, event.input, call.ms, ndBuiltinCache);
    if (decided.error) event.error = opaError(decided.error);
    else if (decided.result !== undefined) {
      event.result = decided.result;
      const r = decided.result as Record<string, JsonValue>;
      denied = r.allow === false || r.allowed === false;
    }
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
    nd_builtin_cache: ndBuiltinCache,
  });
  // The mask policy erases after the decision, so OPA decided with the token the log lacks.
  if (call.tokenErased) {
    delete (event.input as Record<string, JsonValue>).token;
    event.erased = ["/input/token"];
  }
  return { ms: call.ms, json: JSON.stringify(event), denied };
}
