// Scripts for the everyday tasks of the demo world: a human starts a task, an agent (and its
// sub-agents) act for them through Cerbos-guarded APIs and OPA-guarded tools. Steps are spaced
// like an agent loop (a few hundred ms to ~20 s apart).

import { cerbosCheck, cerbosPlan, opaHttp, opaTool, agentActor, humanActor, subAgentActor, type Step, type TaskContext } from "./task-context.ts";
import { calendarEvent, document, invoice, mcpTool, payment, ticket } from "./resources.ts";
import { AGENTS, HUMANS, TOOLS, type AgentDef, type TaskType } from "./world.ts";

const agentFor = (task: TaskType): AgentDef => AGENTS.find((a) => a.task === task)!;

function clock(ctx: TaskContext): () => number {
  let t = ctx.startMs;
  return () => (t += 200 + ctx.rng.int(ctx.rng.chance(0.2) ? 20_000 : 4_000));
}

function paymentsTask(ctx: TaskContext): Step[] {
  const { rng, human } = ctx;
  const next = clock(ctx);
  const bot = agentFor("payments");
  const agent = agentActor(ctx, bot);
  const [fx, ledger] = bot.subAgents;
  const pay = payment(rng, human);
  const steps: Step[] = [cerbosCheck(ctx, next(), agent, [{ resource: invoice(rng, human), actions: ["view"] }])];
  if (pay.attr.currency !== "USD") steps.push(opaTool(ctx, next(), subAgentActor(ctx, bot, fx.id, fx.scopes), TOOLS.fxQuote, { from: pay.attr.currency, to: "USD", amount: pay.attr.amount }));
  if (rng.chance(0.5)) steps.push(cerbosCheck(ctx, next(), subAgentActor(ctx, bot, ledger.id, ledger.scopes), [{ resource: { ...pay, attr: { ...pay.attr, status: "history" } }, actions: ["view"] }]));
  steps.push(cerbosCheck(ctx, next(), agent, [{ resource: pay, actions: ["create"] }]));
  // Agents often try to approve their own payments to finish the task; they hold no approve scope.
  if (rng.chance(0.4)) steps.push(cerbosCheck(ctx, next(), agent, [{ resource: pay, actions: ["approve"] }]));
  // Approval by a person; sometimes the requester tries to approve their own payment.
  const approver = rng.chance(0.25) ? human : HUMANS.find((h) => h.id === "grace")!;
  steps.push(cerbosCheck(ctx, next(), humanActor({ ...ctx, human: approver }), [{ resource: pay, actions: ["view", "approve"] }]));
  steps.push(opaTool(ctx, next(), agent, TOOLS.transfer, { payment_id: pay.id, amount: pay.attr.amount, currency: pay.attr.currency }));
  steps.push(cerbosCheck(ctx, next(), agent, [{ resource: pay, actions: ["execute"] }]));
  if (rng.chance(0.1)) steps.push(opaTool(ctx, next(), agent, TOOLS.refund, { payment_id: pay.id, amount: pay.attr.amount }));
  return steps;
}

function researchTask(ctx: TaskContext): Step[] {
  const { rng, human } = ctx;
  const next = clock(ctx);
  const bot = agentFor("research");
  const agent = agentActor(ctx, bot);
  const [search, summarizer] = bot.subAgents;
  const docs = Array.from({ length: rng.between(1, 4) }, () => document(rng, human));
  const steps: Step[] = [cerbosPlan(ctx, next(), agent, "document", ["view"])];
  steps.push(cerbosCheck(ctx, next(), agent, docs.map((resource) => ({ resource, actions: ["view"] }))));
  steps.push(opaTool(ctx, next(), subAgentActor(ctx, bot, search.id, search.scopes), TOOLS.webSearch, { query: `${rng.pick(["market size", "competitors", "pricing", "regulation"])} ${rng.pick(["EU", "US", "APAC"])}` }));
  steps.push(cerbosCheck(ctx, next(), subAgentActor(ctx, bot, summarizer.id, summarizer.scopes), [{ resource: docs[0], actions: ["view"] }]));
  if (rng.chance(0.6)) steps.push(cerbosCheck(ctx, next(), agent, [{ resource: docs[docs.length - 1], actions: ["edit", "share"] }]));
  if (rng.chance(0.35)) steps.push(opaTool(ctx, next(), agent, TOOLS.driveShare, { document_id: docs[0].id, with: "external@partner.example" }));
  // A web page carried a prompt injection: the assistant tries to move money it has no scope for.
  if (rng.chance(0.08)) steps.push(opaTool(ctx, next(), agent, TOOLS.transfer, { amount: 2500, currency: "USD", to: "acct-ext-991" }));
  return steps;
}

function supportTask(ctx: TaskContext): Step[] {
  const { rng } = ctx;
  const next = clock(ctx);
  const bot = agentFor("support");
  const agent = agentActor(ctx, bot);
  const [kb] = bot.subAgents;
  const t = ticket(rng);
  const steps: Step[] = [cerbosCheck(ctx, next(), agent, [{ resource: t, actions: ["view", "comment"] }])];
  steps.push(opaTool(ctx, next(), subAgentActor(ctx, bot, kb.id, kb.scopes), TOOLS.driveRead, { path: `/kb/${rng.pick(["billing", "login", "export", "sso"])}.md` }));
  steps.push(opaTool(ctx, next(), agent, TOOLS.zendeskUpdate, { ticket: t.id, status: "pending" }));
  steps.push(cerbosCheck(ctx, next(), agent, [{ resource: mcpTool(TOOLS.zendeskUpdate), actions: ["invoke"] }]));
  if (rng.chance(0.2)) steps.push(opaTool(ctx, next(), agent, TOOLS.refund, { ticket: t.id, amount: rng.between(10, 400) }));
  steps.push(cerbosCheck(ctx, next(), agent, [{ resource: t, actions: [rng.chance(0.7) ? "close" : "escalate"] }]));
  if (rng.chance(0.25)) steps.push(cerbosCheck(ctx, next(), agent, [{ resource: document(rng, ctx.human), actions: ["delete"] }]));
  return steps;
}

function codeTask(ctx: TaskContext): Step[] {
  const { rng } = ctx;
  const next = clock(ctx);
  const agent = agentActor(ctx, agentFor("code"));
  const repo = rng.pick(["payments-api", "webapp", "agent-gateway", "infra"]);
  return [
    opaHttp(ctx, next(), agent, "GET", `/api/v1/repos/${repo}/pulls/${rng.between(100, 999)}`),
    opaTool(ctx, next(), agent, TOOLS.githubIssue, { repo, title: "Review findings" }),
    cerbosCheck(ctx, next(), agent, [{ resource: mcpTool(TOOLS.githubIssue), actions: ["invoke"] }]),
    cerbosCheck(ctx, next(), agent, [{ resource: ticket(rng), actions: ["comment"] }]),
  ];
}

function schedulingTask(ctx: TaskContext): Step[] {
  const { rng, human } = ctx;
  const next = clock(ctx);
  const agent = agentActor(ctx, agentFor("scheduling"));
  // No policy covers calendar events yet: Cerbos answers NO_MATCH, the gateway's route table has no entry.
  return [
    cerbosCheck(ctx, next(), agent, [{ resource: calendarEvent(rng, human), actions: ["create"] }]),
    opaHttp(ctx, next(), agent, "POST", "/api/v1/calendar/events"),
  ];
}

function directTask(ctx: TaskContext): Step[] {
  const { rng, human } = ctx;
  const next = clock(ctx);
  const me = humanActor(ctx);
  const doc = document(rng, human);
  const steps: Step[] = [
    opaHttp(ctx, next(), me, "GET", `/api/v1/documents/${doc.id}`),
    cerbosCheck(ctx, next(), me, [{ resource: doc, actions: rng.chance(0.5) ? ["view", "edit"] : ["view", "share"] }]),
  ];
  if (human.roles.includes("support")) steps.push(cerbosCheck(ctx, next(), me, [{ resource: ticket(rng), actions: ["view", "close"] }]));
  if (human.roles.includes("finance")) steps.push(cerbosCheck(ctx, next(), me, [{ resource: payment(rng, human), actions: ["view", "create"] }]));
  return steps;
}

const SCRIPTS: Record<TaskType, (ctx: TaskContext) => Step[]> = {
  payments: paymentsTask,
  research: researchTask,
  support: supportTask,
  code: codeTask,
  scheduling: schedulingTask,
  direct: directTask,
};

export const TASK_MIX: ReadonlyArray<readonly [TaskType, number]> = [
  ["payments", 3],
  ["research", 4],
  ["support", 3],
  ["code", 2],
  ["scheduling", 0.6],
  ["direct", 3],
];

/** Who starts which kind of task. */
export function starterFor(task: TaskType, pick: <T>(xs: readonly T[]) => T) {
  const byRole = (role: string) => HUMANS.filter((h) => h.roles.includes(role));
  if (task === "payments") return pick(byRole("finance"));
  if (task === "support") return pick(byRole("support"));
  if (task === "code") return pick([...byRole("engineering"), ...byRole("admin")]);
  return pick(HUMANS);
}

export function taskSteps(task: TaskType, ctx: TaskContext): Step[] {
  return SCRIPTS[task](ctx);
}
