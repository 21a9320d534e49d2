// What every step of one task shares (who started it, which PDPs serve it, its trace) and the
// helpers that turn "agent X does Y" into fully populated Cerbos calls and OPA calls.

import type { JsonValue } from "../formats/types.ts";
import type { CerbosActor, DemoResource } from "./cerbos-decide.ts";
import type { CerbosCall } from "./cerbos-entries.ts";
import { hex } from "./ids.ts";
import { cerbosJwtClaims, compactJwt } from "./jwt.ts";
import type { OpaCall, OpaInstance } from "./opa-events.ts";
import type { Rng } from "./prng.ts";
import type { AgentDef, CerbosPdp, Human, ToolDef } from "./world.ts";

export type Step = { at: number; cerbos: CerbosCall } | { at: number; opa: OpaCall };

export interface TaskContext {
  rng: Rng;
  taskId: string;
  human: Human;
  pdp: CerbosPdp;
  opa: OpaInstance;
  traceId: string;
  clientAddress: string;
  userAgent: string;
  /** Token issue time: delegation happens when the task starts. */
  startMs: number;
  /** Share of agent calls that send the token as Cerbos auxData (others rely on principal attrs). */
  jwtShare: number;
}

export function humanActor(ctx: TaskContext): CerbosActor {
  return { principalId: ctx.human.id, roles: ctx.human.roles, human: ctx.human, agentChain: [], scopes: [], parentScopes: null };
}

export function agentActor(ctx: TaskContext, agent: AgentDef): CerbosActor {
  return { principalId: agent.id, roles: ["agent"], human: ctx.human, agentChain: [agent.id], scopes: agent.scopes, parentScopes: null };
}

export function subAgentActor(ctx: TaskContext, parent: AgentDef, subId: string, scopes: string[]): CerbosActor {
  return { principalId: subId, roles: ["agent", "sub_agent"], human: ctx.human, agentChain: [parent.id, subId], scopes, parentScopes: parent.scopes };
}

function tokenSubject(ctx: TaskContext, actor: CerbosActor) {
  const scopes = actor.agentChain.length ? actor.scopes : ["profile", "email", ...humanScopes(actor)];
  return { human: ctx.human.id, agentChain: actor.agentChain, scopes, taskId: ctx.taskId };
}

function humanScopes(actor: CerbosActor): string[] {
  if (actor.roles.includes("finance")) return ["payments:read", "payments:initiate", "documents:read"];
  return ["documents:read", "tickets:read"];
}

export function cerbosCheck(ctx: TaskContext, at: number, actor: CerbosActor, check: Array<{ resource: DemoResource; actions: string[] }>): Step {
  const { rng } = ctx;
  const sendsJwt = actor.agentChain.length > 0 && rng.chance(ctx.jwtShare);
  return {
    at,
    cerbos: {
      ms: at,
      pdp: ctx.pdp,
      actor,
      taskId: ctx.taskId,
      traceId: ctx.traceId,
      spanId: hex(rng, 16),
      peerAddress: ctx.clientAddress,
      userAgent: actor.agentChain.length ? ctx.userAgent : "acme-webapp/5.12.0",
      jwt: sendsJwt ? cerbosJwtClaims(tokenSubject(ctx, actor), rng, ctx.startMs) : undefined,
      requestId: `${ctx.taskId}-${hex(rng, 6)}`,
      check,
      // A few batch calls exceed the PDP's batch limit and fail in the handler (status 3).
      rejectedStatus: check.length > 2 && rng.chance(0.04) ? 3 : undefined,
    },
  };
}

export function cerbosPlan(ctx: TaskContext, at: number, actor: CerbosActor, kind: string, actions: string[]): Step {
  const step = cerbosCheck(ctx, at, actor, []);
  if (!("cerbos" in step)) return step;
  const { check: _unused, rejectedStatus: _none, ...rest } = step.cerbos;
  return { at, cerbos: { ...rest, plan: { kind, actions } } };
}

export function opaTool(ctx: TaskContext, at: number, actor: CerbosActor, def: ToolDef, args: Record<string, JsonValue>): Step {
  const { rng } = ctx;
  return {
    at,
    opa: {
      ms: at,
      instance: ctx.opa,
      actor,
      taskId: ctx.taskId,
      traceId: ctx.traceId,
      spanId: hex(rng, 16),
      clientAddress: ctx.clientAddress,
      token: compactJwt(tokenSubject(ctx, actor), rng, ctx.startMs, def.server),
      tool: { def, args },
      tokenErased: rng.chance(0.03),
      evalError: rng.chance(0.004),
    },
  };
}

export function opaHttp(ctx: TaskContext, at: number, actor: CerbosActor, method: string, path: string): Step {
  const { rng } = ctx;
  return {
    at,
    opa: {
      ms: at,
      instance: ctx.opa,
      actor,
      taskId: ctx.taskId,
      traceId: ctx.traceId,
      spanId: hex(rng, 16),
      clientAddress: ctx.clientAddress,
      token: compactJwt(tokenSubject(ctx, actor), rng, ctx.startMs, "api.acme.example"),
      http: { method, path },
      evalError: rng.chance(0.004),
    },
  };
}
