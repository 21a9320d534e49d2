// The scripted incident: alice asks agent:payments-bot to pay a vendor invoice. The bot delegates
// an FX quote to agent:fx-quoter, but the token exchange hands the sub-agent MORE scopes than the
// bot holds (payments:approve, payments:refund). Under Cerbos policy v2 (sub-agent scopes not capped
// by the parent's) the sub-agent approves the 48,500 EUR payment itself, the gateway (bundle
// revision without attenuation) lets it call the transfer tool, and the bot executes the payment.
// All records carry the same task_id across Cerbos and OPA.

import type { DemoResource } from "./cerbos-decide.ts";
import { hex } from "./ids.ts";
import type { Rng } from "./prng.ts";
import { agentActor, cerbosCheck, opaTool, subAgentActor, type Step, type TaskContext } from "./task-context.ts";
import { AGENTS, HUMANS, TOOLS } from "./world.ts";

export interface IncidentSummary {
  taskId: string;
  human: string;
  agent: string;
  subAgent: string;
  /** Scopes the sub-agent held that its parent did not. */
  widenedScopes: string[];
  paymentId: string;
  amount: number;
  currency: string;
  startedAt: Date;
}

export function incidentTaskId(rng: Rng): string {
  return `task-${hex(rng, 12)}`;
}

export function incidentSteps(ctx: TaskContext): { steps: Step[]; summary: IncidentSummary } {
  const { rng } = ctx;
  const bot = AGENTS.find((a) => a.id === "agent:payments-bot")!;
  const alice = HUMANS.find((h) => h.id === "alice")!;
  const c: TaskContext = { ...ctx, human: alice, jwtShare: 1 };
  const widened = ["payments:approve", "payments:refund"];
  const fxScopes = ["fx:quote", "payments:read", "payments:execute", ...widened];
  const agent = agentActor(c, bot);
  const fx = subAgentActor(c, bot, "agent:fx-quoter", fxScopes);
  const pay: DemoResource = {
    kind: "payment",
    id: `pay-${hex(rng, 10)}`,
    scope: "acme.finance",
    attr: { amount: 48_500, currency: "EUR", vendor: "Northwind Logistics GmbH", owner: "alice", status: "draft", invoice: "inv-2026-0918" },
  };
  const inv: DemoResource = { kind: "document", id: "inv-2026-0918", attr: { owner: "alice", department: "finance", classification: "internal", title: "Northwind invoice 2026-0918" } };
  const t = (s: number) => ctx.startMs + s * 1000 + rng.int(900);
  const steps: Step[] = [
    cerbosCheck(c, t(0), agent, [{ resource: inv, actions: ["view"] }]),
    cerbosCheck(c, t(4), agent, [{ resource: pay, actions: ["create"] }]),
    opaTool(c, t(6), fx, TOOLS.fxQuote, { from: "EUR", to: "USD", amount: 48_500 }),
    cerbosCheck(c, t(9), fx, [{ resource: pay, actions: ["view", "approve"] }]),
    opaTool(c, t(11), fx, TOOLS.transfer, { payment_id: pay.id, amount: 48_500, currency: "EUR" }),
    cerbosCheck(c, t(12), agent, [{ resource: { ...pay, attr: { ...pay.attr, status: "approved" } }, actions: ["execute"] }]),
  ];
  // The incident must read cleanly: no erased tokens, no evaluation errors, no rejected calls.
  for (const step of steps) {
    if ("opa" in step) Object.assign(step.opa, { tokenErased: false, evalError: false });
    else step.cerbos.rejectedStatus = undefined;
  }
  return {
    steps,
    summary: { taskId: ctx.taskId, human: "alice", agent: bot.id, subAgent: fx.principalId, widenedScopes: widened, paymentId: pay.id, amount: 48_500, currency: "EUR", startedAt: new Date(ctx.startMs) },
  };
}
