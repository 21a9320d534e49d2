// hindsight tasks list [--json] [--human <id>] [--agent <id>] [--resource <kind:id|kind|id>] [--flag <code>] [--limit <n>]
// hindsight tasks show <taskId> --json
import { parseArgs } from "node:util";
import { getTask, listTasks } from "../../lib/tasks/queries.ts";
import { refreshTasks } from "../../lib/tasks/refresh.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE =
  "usage: hindsight tasks list [--json] [--human <id>] [--agent <id>] [--resource <r>] [--flag <code>] [--limit <n>]\n       hindsight tasks show <taskId> [--json]";

const tasks: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        human: { type: "string" },
        agent: { type: "string" },
        resource: { type: "string" },
        flag: { type: "string" },
        limit: { type: "string" },
      },
    });
  } catch (err) {
    writeLine(io.stderr, `hindsight tasks: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [sub, id] = positionals;
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    writeLine(io.stderr, `hindsight tasks: --limit must be a whole number from 1 to 500`);
    return EXIT_USAGE;
  }
  if (sub === "list") {
    return withDatabase(async (pool) => {
      await refreshTasks(pool, { wait: true });
      const { tasks: list } = await listTasks(pool, { human: values.human, agent: values.agent, resource: values.resource, flag: values.flag }, { limit });
      if (values.json) writeLine(io.stdout, JSON.stringify(list));
      else
        for (const t of list)
          writeLine(
            io.stdout,
            `${(t.taskId ?? t.taskKey).padEnd(28)} ${t.lastAt}  human ${t.initiatingHuman ?? "?"}  hops ${t.hopCount}  denied ${t.denyCount}  flags ${t.flagCount}  confidence ${t.confidence.toFixed(2)}${t.inferred ? " (inferred)" : ""}`,
          );
      return 0;
    });
  }
  if (sub === "show" && id) {
    return withDatabase(async (pool) => {
      await refreshTasks(pool, { wait: true });
      const task = await getTask(pool, id);
      if (!task) {
        writeLine(io.stderr, `hindsight tasks show: no task with key or id "${id}"`);
        return 1;
      }
      const out = {
        taskKey: task.taskKey,
        taskId: task.taskId,
        evidence: task.evidence,
        confidence: task.confidence,
        inferred: task.inferred,
        initiatingHuman: task.initiatingHuman,
        edges: task.edges,
        hops: task.hops.map((h) => ({
          recordId: h.recordId,
          hopId: h.hopId,
          decidedAt: h.decidedAt,
          engine: h.engine,
          initiatingHuman: h.initiatingHuman,
          actingAgent: h.actingAgent,
          actorChain: h.actorChain,
          delegatedScopes: h.delegatedScopes,
          action: h.action,
          resource: h.resource,
          effect: h.effect,
          flags: h.flags,
        })),
      };
      if (values.json) writeLine(io.stdout, JSON.stringify(out));
      else {
        writeLine(io.stdout, `task ${task.taskId ?? task.taskKey} (confidence ${task.confidence.toFixed(2)}${task.inferred ? ", inferred links" : ""}), started by ${task.initiatingHuman ?? "?"}`);
        for (const e of task.evidence) writeLine(io.stdout, `  evidence ${e.kind}=${e.value} (${e.confidence})`);
        for (const h of task.hops)
          writeLine(
            io.stdout,
            `  ${h.decidedAt} ${h.engine.padEnd(6)} ${[h.initiatingHuman, ...h.actorChain].filter(Boolean).join(" → ")}  ${h.action} ${h.resource.kind}:${h.resource.id}  ${h.effect.toUpperCase()}${h.flags.length ? "  ⚑ " + h.flags.map((f) => f.code).join(", ") : ""}`,
          );
      }
      return 0;
    });
  }
  writeLine(io.stderr, USAGE);
  return EXIT_USAGE;
};

export default tasks;
