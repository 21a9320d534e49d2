// The demo's stand-in for the Cerbos policies: decides each (principal, resource, action) the way
// the policy set described in policy-timeline.ts would, so effects, deciding policies, outputs and
// evaluation errors are consistent with each other and with the policy version in force.

import type { JsonValue } from "../formats/types.ts";
import { REQUIRED_SCOPE, type Human } from "./world.ts";

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

export interface ActionDecision {
  effect: "EFFECT_ALLOW" | "EFFECT_DENY";
  policy: string;
  scope?: string;
  rule: string;
  output?: JsonValue;
  celErrors?: Array<{ expression: string; message: string }>;
}

const NO_MATCH: ActionDecision = { effect: "EFFECT_DENY", policy: "NO_MATCH", rule: "" };
const KNOWN_KINDS = new Set([...Object.keys(REQUIRED_SCOPE), "mcp_tool"]);

export function derivedRolesFor(actor: CerbosActor, resource: DemoResource): string[] {
  const roles: string[] = [];
  if (actor.agentChain.length === 0 && resource.attr.owner === actor.principalId) roles.push("owner");
  if (actor.agentChain.length > 0) roles.push("delegated_agent");
  if (actor.agentChain.length > 1) roles.push("sub_agent");
  return roles;
}

function policyKey(resource: DemoResource): string {
  return `resource.${resource.kind}.vdefault${resource.scope ? `/${resource.scope}` : ""}`;
}

function decideHuman(actor: CerbosActor, r: DemoResource, action: string): Omit<ActionDecision, "policy"> {
  const roles = actor.roles;
  const allow = (rule: string) => ({ effect: "EFFECT_ALLOW" as const, rule });
  const deny = (rule: string, output?: JsonValue) => ({ effect: "EFFECT_DENY" as const, rule, output });
  const isOwner = r.attr.owner === actor.principalId;
  if (r.kind === "mcp_tool") return deny("tools-are-for-agents");
  if (r.kind === "payment") {
    if (action === "view") return roles.includes("finance") || isOwner ? allow("finance-view") : deny("finance-view");
    if (action === "approve") {
      if (isOwner) return deny("no-self-approval", "self_approval_blocked");
      return roles.includes("approver") && Number(r.attr.amount) < 100_000 ? allow("approver-approve") : deny("approver-approve");
    }
    if (action === "execute") return deny("executed-by-service-only");
    return roles.includes("finance") ? allow("finance-write") : deny("finance-write");
  }
  if (r.kind === "document") {
    if (action === "view") return r.attr.classification === "confidential" && r.attr.department !== actor.human.department ? deny("confidential-same-department") : allow("employee-view");
    if (action === "share" && r.attr.classification === "confidential") return deny("no-sharing-confidential", "share_blocked:confidential");
    return isOwner ? allow("owner-write") : deny("owner-write");
  }
  return roles.includes("support") ? allow("support-tickets") : action === "view" ? allow("employee-view-tickets") : deny("support-tickets");
}

function decideAgent(actor: CerbosActor, r: DemoResource, action: string, version: 1 | 2 | 3): Omit<ActionDecision, "policy"> {
  const deny = (rule: string, output?: JsonValue, celErrors?: ActionDecision["celErrors"]) => ({ effect: "EFFECT_DENY" as const, rule, output, celErrors });
  const isSubAgent = actor.agentChain.length > 1;
  // MCP servers ask Cerbos too; each tool names the scope it needs.
  const required = r.kind === "mcp_tool" ? (action === "invoke" ? String(r.attr.required_scope) : null) : REQUIRED_SCOPE[r.kind]?.[action];
  if (required === null || required === undefined) return deny("agents-never-delete", `agent_blocked:${actor.principalId}`);
  if (typeof r.attr.amount === "string") {
    // A client sent amount as text; the limit condition errors and the allow rule does not apply.
    return deny("agent-payment-limit", undefined, [
      { expression: "R.attr.amount <= V.agent_limit", message: "no such overload" },
      { expression: "V.agent_limit", message: "no such key: amount" },
    ]);
  }
  if (version === 1 && isSubAgent && action === "approve") return deny("sub-agents-never-approve", `agent_blocked:${actor.principalId}`);
  // v2 forgot to intersect with the parent's scopes: the incident.
  const effective = isSubAgent && version !== 2 && actor.parentScopes ? actor.scopes.filter((s) => actor.parentScopes!.includes(s)) : actor.scopes;
  if (!effective.includes(required)) return deny("agent-scope-required", `missing_scope:${required}`);
  const limit = version === 3 ? 10_000 : 50_000;
  if (r.kind === "payment" && (action === "create" || action === "execute") && Number(r.attr.amount) > limit) {
    return deny("agent-payment-limit", "amount_over_agent_limit");
  }
  if (r.kind === "document" && r.attr.classification === "confidential" && r.attr.department !== actor.human.department) {
    return deny("confidential-same-department");
  }
  return { effect: "EFFECT_ALLOW", rule: `agent-delegated-${action}` };
}

export function decideCerbos(actor: CerbosActor, resource: DemoResource, action: string, version: 1 | 2 | 3): ActionDecision {
  if (!KNOWN_KINDS.has(resource.kind) || resource.policyVersion === "v2") return NO_MATCH;
  if (actor.principalId === "heidi" && resource.kind !== "payment") {
    return { effect: "EFFECT_ALLOW", policy: "principal.heidi.vdefault", rule: "it-admin-override" };
  }
  const decided = actor.agentChain.length === 0 ? decideHuman(actor, resource, action) : decideAgent(actor, resource, action, version);
  // Approvals and executions are decided by the scoped (department) policy; the rest falls to root.
  const scoped = resource.scope && (action === "approve" || action === "execute") ? resource.scope : undefined;
  return { ...decided, policy: policyKey(resource), scope: scoped };
}
