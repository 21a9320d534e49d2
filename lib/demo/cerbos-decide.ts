// The Cerbos side of a demo call: who asks (principal attributes as the agent gateway sends them)
// and what Cerbos answers. Answers come from the real demo policies (cerbos-policies.ts), so a
// record's effects, deciding policies, derived roles, outputs and evaluation errors are exactly
// what the embedded engine returns for its input under the policy version named in the record.

import type { CheckInput, CheckOutput } from "../engine/cerbos/index.ts";
import type { JsonValue } from "../formats/types.ts";
import { checkDemoCerbos } from "./cerbos-policies.ts";
import type { DemoPolicyVersion } from "./policy-files.ts";
import { emailOf, type Human } from "./world.ts";

export interface CerbosActor {
  principalId: string;
  roles: string[];
  human: Human;
  /** Agents from the one the human delegated to, down to the current actor; empty for a human acting directly. */
  agentChain: string[];
  /** Scopes on the current actor's token. */
  scopes: string[];
  /** Scopes of the delegating (parent) agent when the actor is a sub-agent. */
  parentScopes: string[] | null;
}

export interface DemoResource {
  kind: string;
  id: string;
  attr: Record<string, JsonValue>;
  scope?: string;
  policyVersion?: string;
}

/** Principal as the gateway describes it; agents carry their delegation (the policies read these when no token is sent). */
export function principalOf(actor: CerbosActor): { id: string; roles: string[]; attr: Record<string, JsonValue> } {
  const attr: Record<string, JsonValue> = { department: actor.human.department };
  // A person calling directly carries the IdP's profile attributes; no policy reads the address, so it
  // changes no decision (and gives the sensitive-field masking a realistic value to hide).
  if (!actor.agentChain.length) attr.email = emailOf(actor.human.id);
  if (actor.agentChain.length) {
    attr.on_behalf_of = actor.human.id;
    attr.scopes = actor.scopes;
    attr.delegation_depth = actor.agentChain.length;
    // The gateway has always sent the delegating agent's scopes; only policy v3 caps by them.
    if (actor.parentScopes) attr.parent_scopes = actor.parentScopes;
  }
  return { id: actor.principalId, roles: actor.roles, attr };
}

export interface DecidedCheck {
  /** The CheckOutput as the file backend logs it (empty lists left out). */
  logged: Record<string, JsonValue>;
  /** Policy keys that decided an action (NO_MATCH excluded). */
  policies: string[];
  hops: number;
  denied: number;
}

/** Evaluates one CheckInput under policy `version` at `ms` and shapes the answer like a Cerbos log line. */
export function decideCheck(version: DemoPolicyVersion, input: CheckInput, ms: number): DecidedCheck {
  const out: CheckOutput = checkDemoCerbos(version, input, ms);
  const actions: Record<string, JsonValue> = {};
  const policies: string[] = [];
  let denied = 0;
  for (const action of input.actions) {
    const e = out.actions[action];
    const effect: Record<string, JsonValue> = { effect: e.effect, policy: e.policy };
    if (e.scope) effect.scope = e.scope;
    actions[action] = effect;
    if (e.effect === "EFFECT_DENY") denied++;
    if (e.policy !== "NO_MATCH" && !policies.includes(e.policy)) policies.push(e.policy);
  }
  const logged: Record<string, JsonValue> = { requestId: out.requestId, resourceId: out.resourceId, actions };
  if (out.effectiveDerivedRoles.length) logged.effectiveDerivedRoles = out.effectiveDerivedRoles;
  if (out.validationErrors.length) logged.validationErrors = out.validationErrors as unknown as JsonValue;
  if (out.outputs.length) logged.outputs = out.outputs as unknown as JsonValue;
  if (out.evaluationErrors.length) logged.evaluationErrors = out.evaluationErrors as unknown as JsonValue;
  return { logged, policies, hops: input.actions.length, denied };
}
