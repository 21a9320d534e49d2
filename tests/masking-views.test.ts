// The views that gather values from many decisions (task list, trends rankings and spikes, impact
// tables, the record page's batch origin, explorer page links) mask what the rules cover: rendered as
// the server sends them, a sensitive principal (an e-mail address) appears nowhere, not even in a
// link's URL; ordinary ids stay visible.
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { TasksTable } from "../components/tasks/tasks-table.tsx";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { maskTaskSummaries, masker } from "../lib/masking/aggregate-views.ts";
import { BUILTIN_RULE_SET } from "../lib/masking/rules.ts";
import { listTasks } from "../lib/tasks/queries.ts";
import { refreshTasks } from "../lib/tasks/refresh.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const HUMAN = "erin.views@acme.example";
const html = (el: ReactElement) => renderToStaticMarkup(el);

/** A Cerbos decision whose principal is a person named by e-mail, acting through an agent. */
function cerbosLine(o: { callId: string; taskId: string; at: string; principal: string; effect: "EFFECT_ALLOW" | "EFFECT_DENY"; resourceId: string }) {
  return JSON.stringify({
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId: o.callId,
    timestamp: o.at,
    peer: { address: "10.9.8.7:40000" },
    checkResources: {
      inputs: [
        {
          requestId: `${o.callId}-r`,
          principal: { id: o.principal, roles: ["user"], attr: { acting_agent: "agent:views-bot" } },
          resource: { kind: "document", id: o.resourceId, attr: {} },
          actions: ["share"],
          auxData: { jwt: { sub: o.principal, scope: "docs:share" } },
        },
      ],
      outputs: [{ requestId: `${o.callId}-r`, resourceId: o.resourceId, actions: { share: { effect: o.effect, policy: "resource.document.vdefault" } } }],
    },
    requestContext: { annotations: { task_id: o.taskId } },
  });
}

describe("task list", () => {
  const tag = uniquePdp("views");
  beforeAll(async () => {
    const lines = [0, 1, 2].map((i) =>
      cerbosLine({ callId: `01VIEWS${tag.slice(-8).toUpperCase()}${i}`.padEnd(26, "0"), taskId: `task-${tag}`, at: `2033-01-01T10:00:0${i}Z`, principal: HUMAN, effect: i ? "EFFECT_DENY" : "EFFECT_ALLOW", resourceId: `${HUMAN}-doc` }),
    );
    await ingestBytes(getPool(), Buffer.from(lines.join("\n")), { channel: "cli", pdpInstance: tag });
    await refreshTasks(getPool(), { wait: true });
  });

  it("masks the initiating human, actors and resources; the task stays linked", async () => {
    const { tasks } = await listTasks(getPool(), { q: `task-${tag}` });
    expect(tasks).toHaveLength(1);
    expect(JSON.stringify(tasks)).toContain(HUMAN); // the read model has it; the view must not
    const masked = maskTaskSummaries(tasks, masker(BUILTIN_RULE_SET));
    expect(JSON.stringify(masked)).not.toContain(HUMAN);
    expect(masked[0].initiatingHuman).toBe("•••• masked (email #1)");
    expect(masked[0].resources).toEqual(["document:•••• masked (email #2)"]);
    const out = html(createElement(TasksTable, { tasks: masked, nowMs: Date.parse("2033-01-02T00:00:00Z") }));
    expect(out).not.toContain(HUMAN);
    expect(out).toContain('<span class="mask-marker"');
    expect(out).toContain(`href="/tasks/task%3Atask-${tag}"`);
  });

  it("masks actors one by one, the same value with the same marker", () => {
    const row = { taskKey: "task:t", taskId: "t", confidence: 1, inferred: false, initiatingHuman: "alice", firstAt: "", lastAt: "", hopCount: 2, denyCount: 0, flagCount: 0, flagSummary: {} };
    const [a, b] = maskTaskSummaries(
      [
        { ...row, actors: ["agent:payments-bot", "bot@acme.example", "10.1.2.3"], resources: ["payment:pay-1"] },
        { ...row, taskKey: "task:u", actors: ["bot@acme.example"], resources: [] },
      ],
      masker(BUILTIN_RULE_SET),
    );
    expect(a.initiatingHuman).toBe("alice");
    expect(a.actors).toEqual(["agent:payments-bot", "•••• masked (email #1)", "•••• masked (ip #1)"]);
    expect(a.resources).toEqual(["payment:pay-1"]);
    expect(b.actors).toEqual(["•••• masked (email #1)"]);
    const out = html(createElement(TasksTable, { tasks: [a, b], nowMs: 0 }));
    expect(out).toContain("agent:payments-bot");
    expect(out).not.toContain("bot@acme.example");
    expect(out).not.toContain("10.1.2.3");
  });
});
