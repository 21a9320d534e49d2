// Replay of logged Cerbos decisions (pure) and impact runs over stored decisions (database).
import { describe, expect, it } from "vitest";
import { compileCerbosPolicies, type CerbosPolicySet } from "../lib/engine/cerbos/index.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { replayEntry } from "../lib/replay/replay-entry.ts";
import { createImpactRun, executeImpactRun, requestCancel } from "../lib/replay/impact.ts";
import { flipsBy, flipsCsv, getImpactRun, listFlips } from "../lib/replay/impact-report.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

function policy(editRule: string): CerbosPolicySet {
  const yaml = `apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: document
  rules:
    - actions: ["view"]
      effect: EFFECT_ALLOW
      roles: ["user"]
    - actions: ["edit"]
      effect: EFFECT_ALLOW
      roles: ["user"]
      condition:
        match:
          expr: "${editRule}"
`;
  const out = compileCerbosPolicies({ policies: [{ path: "document.yaml", text: yaml }], schemas: [] });
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return out.policySet!;
}

const ownerCanEdit = policy("request.resource.attr.owner == request.principal.id");
const nobodyEdits = policy("false");

function decision(i: number, owner: boolean, at: string) {
  const principal = `user-${i % 7}`;
  return {
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId: `CALL${String(i).padStart(22, "0")}`,
    timestamp: at,
    checkResources: {
      inputs: [
        {
          requestId: `r${i}`,
          principal: { id: principal, roles: ["user"] },
          resource: { kind: "document", id: `doc-${i}`, attr: { owner: owner ? principal : "someone-else" } },
          actions: ["view", "edit"],
        },
      ],
      outputs: [
        {
          requestId: `r${i}`,
          resourceId: `doc-${i}`,
          actions: {
            view: { effect: "EFFECT_ALLOW", policy: "resource.document.vdefault" },
            edit: { effect: owner ? "EFFECT_ALLOW" : "EFFECT_DENY", policy: "resource.document.vdefault" },
          },
        },
      ],
    },
  };
}

describe("replay", () => {
  it("reproduces a decision under the policy that made it and shows the divergence under another", () => {
    const entry = decision(1, true, "2026-06-01T10:00:00Z");
    const same = replayEntry(ownerCanEdit, entry, new Date(entry.timestamp), { explain: true })!;
    expect(same.status).toBe("reproduced");
    expect(same.inputs[0].actions.map((a) => [a.action, a.replayed.effect, a.match])).toEqual([
      ["view", "EFFECT_ALLOW", true],
      ["edit", "EFFECT_ALLOW", true],
    ]);
    expect(same.inputs[0].explanation?.actions.edit.rule).toContain("resource.document.vdefault#");
    const other = replayEntry(nobodyEdits, entry, new Date(entry.timestamp))!;
    expect(other.status).toBe("diverged");
    expect(other.inputs[0].actions.find((a) => a.action === "edit")).toMatchObject({ recorded: { effect: "EFFECT_ALLOW" }, replayed: { effect: "EFFECT_DENY" }, match: false });
  });

  it("says a non-CheckResources entry cannot be replayed", () => {
    expect(replayEntry(ownerCanEdit, { callId: "x", planResources: {} }, new Date())).toBeNull();
  });
});

describe("impact runs", () => {
  async function seed(n: number) {
    const pdp = uniquePdp("impact");
    const base = Date.parse("2026-06-01T00:00:00Z");
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify(decision(i, i % 3 === 0, new Date(base + i * 1000).toISOString())));
    await ingestBytes(getPool(), Buffer.from(lines.join("\n")), { channel: "cli", pdpInstance: pdp });
    return pdp;
  }

  it("replays every matching decision in pages and records each flip", async () => {
    const pool = getPool();
    const pdp = await seed(90);
    const runId = await createImpactRun(pool, "0", { pdp }, "test");
    const progress = await executeImpactRun(pool, runId, nobodyEdits, undefined, { pageSize: 25 });
    const owners = 30; // i % 3 === 0 of 90
    expect(progress).toEqual({ decisions: 90, actions: 180, unchanged: 180 - owners, allowToDeny: owners, denyToAllow: 0, skipped: 0 });
    const run = (await getImpactRun(pool, runId))!;
    expect(run).toMatchObject({ status: "done", decisions: 90, allowToDeny: owners, denyToAllow: 0 });
    expect(await flipsBy(pool, runId, "action")).toEqual([{ value: "edit", allowToDeny: owners, denyToAllow: 0 }]);
    const flips = await listFlips(pool, runId, { direction: "allow_to_deny", limit: 10 });
    expect(flips).toHaveLength(10);
    expect(flips[0]).toMatchObject({ action: "edit", fromEffect: "allow", toEffect: "deny", resourceKind: "document", toPolicy: "resource.document.vdefault" });
    let csv = "";
    for await (const chunk of flipsCsv(pool, runId)) csv += chunk;
    expect(csv.trim().split("\n")).toHaveLength(owners + 1);

    // The same policies as recorded: nothing flips.
    const sameRun = await createImpactRun(pool, "0", { pdp }, "test");
    expect(await executeImpactRun(pool, sameRun, ownerCanEdit)).toMatchObject({ allowToDeny: 0, denyToAllow: 0, unchanged: 180 });
  });

  it("stops at the next page when cancelled", async () => {
    const pool = getPool();
    const pdp = await seed(60);
    const runId = await createImpactRun(pool, "0", { pdp }, "test");
    const progress = await executeImpactRun(pool, runId, nobodyEdits, () => void requestCancel(pool, runId), { pageSize: 20 });
    const run = (await getImpactRun(pool, runId))!;
    expect(run.status).toBe("cancelled");
    expect(progress.actions).toBeLessThan(120);
  });
});
