// The views that gather values from many decisions (task list, trends rankings and spikes, impact
// tables, the record page's batch origin, explorer page links) mask what the rules cover: rendered as
// the server sends them, a sensitive principal (an e-mail address) appears nowhere, not even in a
// link's URL; ordinary ids stay visible.
import { createElement, type ReactElement } from "react";
import { GET as runRoute } from "../app/api/impact/[runId]/route.ts";
import { GET as flipsRoute } from "../app/api/impact/[runId]/flips/route.ts";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { FlipList } from "../components/impact/flip-list.tsx";
import { FlipsByTable } from "../components/impact/flips-by.tsx";
import { RunsTable } from "../components/impact/runs-table.tsx";
import { KeysetPager } from "../components/keyset-pager.tsx";
import { TasksTable } from "../components/tasks/tasks-table.tsx";
import { SpikesList } from "../components/trends/spikes-list.tsx";
import { TopDenied } from "../components/trends/top-denied.tsx";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { maskExplorerFilters, maskFlipCounts, maskFlipRows, maskSpikes, maskTaskSummaries, maskTrendsTop, masker } from "../lib/masking/aggregate-views.ts";
import { clearSensitiveRulesCache } from "../lib/masking/settings.ts";
import { flipsBy, getImpactRun, listFlips } from "../lib/replay/impact-report.ts";
import { BUILTIN_RULE_SET, ruleSetOf } from "../lib/masking/rules.ts";
import { maskBatchOrigin } from "../lib/masking/value-markers.ts";
import { getRecordDetail } from "../lib/explorer/record-detail.ts";
import { decodeCursor, fromBase64Url } from "../lib/explorer/cursor.ts";
import { listHops } from "../lib/explorer/list-hops.ts";
import { listTasks } from "../lib/tasks/queries.ts";
import { refreshTasks } from "../lib/tasks/refresh.ts";
import { buildTrendsDashboard } from "../lib/trends/dashboard.ts";
import { params, request, user } from "./masking-helpers.ts";
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

/** An OPA decision on a tool (as tests/trends.test.ts writes them). */
function opaLine(pdp: string, i: number, at: number, allow: boolean, subject: string, tool: string) {
  return JSON.stringify({
    labels: { id: pdp },
    decision_id: `${pdp}-${i}`,
    path: "agents/tools/allow",
    input: { action: "call", subject: { id: subject }, resource: { kind: "mcp_tool", id: tool } },
    result: allow,
    timestamp: new Date(at).toISOString(),
  });
}

describe("trends", () => {
  const SPIKER = "mallory.views@acme.example";
  const TOOL = "198.51.100.77";
  const pdp = uniquePdp("views-trend");
  const base = Date.parse("2033-02-01T00:00:00Z");
  beforeAll(async () => {
    const lines: string[] = [];
    let i = 0;
    for (let h = 0; h < 30; h++) {
      for (let k = 0; k < 10; k++) lines.push(opaLine(pdp, i++, base + h * 3_600_000 + k * 60_000, k !== 0, "bob", `tool-${k % 3}`));
      if (h === 26) for (let k = 0; k < 25; k++) lines.push(opaLine(pdp, i++, base + h * 3_600_000 + 30 * 60_000 + k, false, SPIKER, TOOL));
    }
    await ingestBytes(getPool(), Buffer.from(lines.join("\n")), { channel: "cli" });
  });

  it("rankings and spike contributors show markers without links; other values keep their drill-through", async () => {
    const filters = { pdp, from: "2033-02-01T00:00:00Z", to: "2033-02-02T05:59:59Z" };
    const d = await buildTrendsDashboard(getPool(), filters, "hour");
    expect(d.top.principal.map((r) => r.value)).toEqual(["bob", SPIKER]);
    const m = masker(BUILTIN_RULE_SET);
    const top = maskTrendsTop(d.top, m);
    const spikes = maskSpikes(d.spikes, m);
    expect(top.principal).toEqual([
      { value: "bob", denials: 30 },
      { value: "•••• masked (email #1)", denials: 25, masked: true },
    ]);
    expect(top.tool).toEqual([
      { value: "tool-0", denials: 30 },
      { value: "•••• masked (ip #1)", denials: 25, masked: true },
    ]);
    expect(top.resource).toContainEqual({ value: "mcp_tool:•••• masked (ip #1)", denials: 25, masked: true });
    // The same value keeps its marker across lists and spikes (one masker per page).
    expect(spikes[0].contributors).toContainEqual({ dimension: "principal", value: "•••• masked (email #1)", denials: 25, masked: true });

    const out = html(createElement("div", null, createElement(TopDenied, { top, filters, window: d.window }), createElement(SpikesList, { spikes, filters })));
    expect(out).not.toContain(SPIKER);
    expect(out).not.toContain(encodeURIComponent(SPIKER));
    expect(out).not.toContain(TOOL);
    expect(out).toContain("•••• masked (email #1)");
    expect(out).toMatch(/href="\/decisions\?[^"]*principal=bob/);
    expect(out).toMatch(/href="\/decisions\?[^"]*rid=tool-0/);
  });
});

describe("impact run", () => {
  const CAROL = "carol.views@acme.example";
  const owner = user("views-owner", ["policy_owner"]);
  let runId = "";
  beforeAll(async () => {
    clearSensitiveRulesCache();
    const pool = getPool();
    const { rows } = await pool.query(
      `INSERT INTO impact_runs (candidate_id, filters, status, requested_by) VALUES (1, $1, 'done', 'test') RETURNING id::text`,
      [JSON.stringify({ principal: CAROL, action: "approve" })],
    );
    runId = rows[0].id;
    await pool.query(
      `INSERT INTO impact_flips (run_id, hop_id, record_id, decided_at, action, from_effect, to_effect, principal_id, acting_agent, resource_kind, resource_id, from_policy, to_policy)
       VALUES ($1, 11, 101, '2026-08-01T00:00:00Z', 'approve', 'allow', 'deny', $2, 'agent:fx-quoter', 'payment', 'pay-1', 'p', 'p'),
              ($1, 12, 102, '2026-08-01T00:01:00Z', 'approve', 'allow', 'deny', 'dave', '203.0.113.9', 'payment', 'pay-2', 'p', 'p')`,
      [runId, CAROL],
    );
  });

  it("flip counts and run filters show markers and no drill-down or explorer link carrying them", async () => {
    const pool = getPool();
    const run = (await getImpactRun(pool, runId))!;
    const m = masker(BUILTIN_RULE_SET);
    const principals = maskFlipCounts("principal", await flipsBy(pool, runId, "principal"), m);
    const agents = maskFlipCounts("agent", await flipsBy(pool, runId, "agent"), m);
    expect(principals.map((c) => c.value).sort()).toEqual(["dave", "•••• masked (email #1)"]);
    expect(agents.map((c) => c.value).sort()).toEqual(["agent:fx-quoter", "•••• masked (ip #1)"]);
    const scope = maskExplorerFilters(run.filters, m);
    expect(scope).toEqual({ filters: { principal: "•••• masked (email #1)", action: "approve" }, masked: true });
    const out = html(
      createElement(
        "div",
        null,
        createElement(FlipsByTable, { runId, dim: "principal", counts: principals }),
        createElement(FlipsByTable, { runId, dim: "agent", counts: agents }),
        createElement(RunsTable, { runs: [{ ...run, filters: scope.filters }], labels: new Map(), nowMs: 0 }),
      ),
    );
    expect(out).not.toContain(CAROL);
    expect(out).not.toContain(encodeURIComponent(CAROL));
    expect(out).not.toContain("203.0.113.9");
    expect(out).toContain(`href="/impact/${runId}?dim=principal&amp;value=dave#flips"`);
    expect(out).toContain("action=approve, principal=•••• masked (email #1)");
  });

  it("the drill-down list and its JSON route mask each hop's cells and offer Reveal through the hop", async () => {
    const pool = getPool();
    const page = maskFlipRows(await listFlips(pool, runId), BUILTIN_RULE_SET);
    expect(page.masked).toEqual({
      "11": { principalId: { label: "email", pointer: "/principal/id" } },
      "12": { actingAgent: { label: "ip", pointer: "/actingAgent" } },
    });
    const out = html(createElement(FlipList, { runId, candidateId: "1", query: {}, initial: page.rows, initialMasked: page.masked, initialNext: null, canReveal: true }));
    expect(out).not.toContain(CAROL);
    expect(out).not.toContain("203.0.113.9");
    expect(out).toContain('aria-label="Reveal the principal"');
    expect(out).toContain('aria-label="Reveal the acting agent"');
    expect(out).toContain(">dave<");

    const res = await flipsRoute(request(owner, "GET", `/api/impact/${runId}/flips?limit=1&after=11`), params({ runId }));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("203.0.113.9");
    expect(JSON.parse(text)).toMatchObject({ flips: [{ hopId: "12", principalId: "dave", actingAgent: "•••• masked (ip)" }], masked: { "12": { actingAgent: { pointer: "/actingAgent" } } } });

    const status = await runRoute(request(owner, "GET", `/api/impact/${runId}`), params({ runId }));
    const body = await status.text();
    expect(body).not.toContain(CAROL);
    expect(JSON.parse(body).filters).toEqual({ principal: "•••• masked (email #1)", action: "approve" });
  });
});

describe("record page batch origin", () => {
  it("masks an HTTP push's client address (forwarding list included); a file name stays unless a rule names batch.origin", async () => {
    const pool = getPool();
    const tag = uniquePdp("views-origin");
    const line = (i: number) => cerbosLine({ callId: `01ORIGIN${tag.slice(-8).toUpperCase()}${i}`.padEnd(26, "0"), taskId: `t-${tag}`, at: "2033-03-01T00:00:00Z", principal: "frank", effect: "EFFECT_ALLOW", resourceId: "d-1" });
    const pushed = await ingestBytes(pool, Buffer.from(line(1)), { channel: "http:cerbos", origin: "203.0.113.5, 10.0.0.1", pdpInstance: tag });
    const uploaded = await ingestBytes(pool, Buffer.from(line(2)), { channel: "upload", origin: "frank-audit.ndjson", pdpInstance: tag });
    const origin = async (batchId: string) => {
      const { rows } = await pool.query(`SELECT id::text FROM records WHERE batch_id = $1`, [batchId]);
      return (await getRecordDetail(rows[0].id))!.batch.origin;
    };
    expect(maskBatchOrigin(await origin(pushed.batchId), BUILTIN_RULE_SET)).toBe("•••• masked (ip)");
    expect(maskBatchOrigin(await origin(uploaded.batchId), BUILTIN_RULE_SET)).toBeNull();
    expect(maskBatchOrigin(await origin(uploaded.batchId), ruleSetOf(["batch.origin"]))).toBe("•••• masked (origin)");
    expect(maskBatchOrigin(null, BUILTIN_RULE_SET)).toBeNull();
  });
});

describe("explorer page links", () => {
  it("sorted by principal, the pager's cursors name rows without carrying their principal", async () => {
    const pool = getPool();
    const pdp = uniquePdp("views-pager");
    const people = ["gina.views@acme.example", "hank.views@acme.example", "ivan"];
    const lines = people.map((p, i) => cerbosLine({ callId: `01PAGER${pdp.slice(-8).toUpperCase()}${i}`.padEnd(26, "0"), taskId: `t-${pdp}`, at: "2033-04-01T00:00:00Z", principal: p, effect: "EFFECT_ALLOW", resourceId: "d-1" }));
    await ingestBytes(pool, Buffer.from(lines.join("\n")), { channel: "cli", pdpInstance: pdp });
    const sort = { column: "principal", direction: "asc" } as const;
    const second = await listHops({ pdp }, sort, { after: decodeCursor((await listHops({ pdp }, sort, {}, 1)).nextCursor!)! }, 1);
    expect(second.rows.map((r) => r.principalId)).toEqual([people[1]]);
    const out = html(createElement(KeysetPager, { filters: { pdp }, sort, limit: 1, prevCursor: second.prevCursor, nextCursor: second.nextCursor, paged: true }));
    const cursors = [...out.matchAll(/(?:after|before)=([A-Za-z0-9_-]+)/g)].map((m) => fromBase64Url(m[1]!)!);
    expect(cursors).toHaveLength(2);
    for (const text of [out, ...cursors]) for (const p of people) expect(text).not.toContain(p);
    // The page after the second row is the third: the server read the sort value from the hop.
    const third = await listHops({ pdp }, sort, { after: decodeCursor(second.nextCursor!)! }, 1);
    expect(third.rows.map((r) => r.principalId)).toEqual([people[2]]);
    // A cursor naming a hop that is gone: an empty page, which the explorer answers with its first page link.
    expect(await listHops({ pdp }, sort, { after: { decidedAt: "2033-04-01T00:00:00Z", id: "999999999999" } }, 1)).toEqual({ rows: [], nextCursor: null, prevCursor: null });
  });
});
