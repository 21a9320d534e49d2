// The demo as a newcomer meets it: policy history imported, every demo decision reproduces against the
// version in force, and the fixed policy (v3) would have stopped the incident.
import { describe, expect, it } from "vitest";
import { listVersions } from "../lib/policies/index.ts";
import { resolveCandidate } from "../lib/replay/impact-jobs.ts";
import { createImpactRun, executeImpactRun } from "../lib/replay/impact.ts";
import { listFlips } from "../lib/replay/impact-report.ts";
import { replayRecord } from "../lib/replay/record-replay.ts";
import { compiledVersion } from "../lib/policies/index.ts";
import { loadDemoData } from "../lib/seed/demo.ts";
import { getTask, listTasks } from "../lib/tasks/queries.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

describe("demo story", () => {
  it("loads, reproduces, and shows that v3 would have stopped the incident", async () => {
    const pool = getPool();
    const { versions, bundles, incidentTaskId } = await loadDemoData();
    expect(versions).toBe(3);
    expect(bundles).toBe(3);
    const all = await listVersions(pool);
    const demoVersions = all.filter((v) => v.source.includes("agent-policies"));
    expect(demoVersions).toHaveLength(3);
    expect(demoVersions.every((v) => v.compileErrors === null)).toBe(true);

    expect(incidentTaskId).toBeTruthy();
    const flagged = await listTasks(pool, { flag: "scope_widened", human: "alice" }, { limit: 500 });
    expect(flagged.tasks.map((t) => t.taskId)).toContain(incidentTaskId);
    const task = (await getTask(pool, incidentTaskId!))!;
    const approve = task.hops.find((h) => h.action === "approve" && h.engine === "cerbos" && h.actorChain.at(-1) === "agent:fx-quoter");
    expect(approve?.effect).toBe("allow");

    const replay = await replayRecord(pool, approve!.recordId, { kind: "resolved" });
    expect(replay.status).toBe("reproduced");
    expect(replay.target.kind === "version" && replay.target.resolvedBy).toBe("policySource");

    const v3 = demoVersions.sort((a, b) => Number(a.id) - Number(b.id))[2];
    const against = await replayRecord(pool, approve!.recordId, { kind: "version", ref: v3.id });
    expect(against.status).toBe("diverged");
    expect(against.inputs[0].actions.find((a) => a.action === "approve")?.replayed.effect).toBe("EFFECT_DENY");

    const candidate = await resolveCandidate(pool, v3.id);
    const runId = await createImpactRun(pool, candidate.id, { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }, "test");
    const progress = await executeImpactRun(pool, runId, await compiledVersion(pool, candidate.id));
    expect(progress.allowToDeny).toBeGreaterThan(0);
    const flips = await listFlips(pool, runId, { limit: 10_000 });
    expect(flips.map((f) => f.recordId)).toContain(approve!.recordId);

    // The incident's OPA hops (the sub-agent's MCP tool calls) replay too, against the bundle revision they name.
    const opaHop = task.hops.find((h) => h.engine === "opa" && h.actorChain.at(-1) === "agent:fx-quoter");
    expect(opaHop).toBeDefined();
    const opaReplay = await replayRecord(pool, opaHop!.recordId, { kind: "resolved" });
    expect(opaReplay.engine).toBe("opa");
    expect(opaReplay.status).toBe("reproduced");
    expect(opaReplay.target.kind === "version" && opaReplay.target.resolvedBy).toBe("bundle_revision");
  });
});
