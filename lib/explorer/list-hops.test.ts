// Integration: keyset pages against the real database (Postgres on CI, embedded PGlite otherwise).
// Every ordering is walked forwards and backwards and must equal one ORDER BY over the same rows.
import { beforeAll, describe, expect, it } from "vitest";
import { ingestBytes } from "../ingest/ingest.ts";
import { uniquePdp, useTestDatabase } from "../../tests/setup/db.ts";
import { countHopsCapped } from "./count-hops.ts";
import { decodeCursor } from "./cursor.ts";
import { listHops } from "./list-hops.ts";
import { type ExplorerFilters, type ExplorerSort, SORT_COLUMNS } from "./query-params.ts";
import { getRecordDetail } from "./record-detail.ts";

const getPool = useTestDatabase();
const pdp = uniquePdp("explorer");

function decisionLine(i: number): string {
  const principals = ["alice", "bob", "carol"];
  const effect = i % 4 === 0 ? "EFFECT_DENY" : "EFFECT_ALLOW";
  return JSON.stringify({
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId: `01EXPLORER${String(i).padStart(16, "0")}`,
    // Several records share a timestamp so the id tie-breaker matters.
    timestamp: `2026-11-23T10:${String(Math.floor(i / 3) % 60).padStart(2, "0")}:00.000001Z`,
    checkResources: {
      inputs: [
        {
          requestId: `r${i}`,
          principal: { id: principals[i % 3], roles: [i % 2 ? "agent" : "user"], attr: i % 5 ? { agent_id: `agent_${i % 2}` } : {} },
          resource: { kind: i % 2 ? "doc" : "tool", id: `res-${i}`, attr: {} },
          actions: ["view", "edit"],
        },
      ],
      outputs: [
        {
          requestId: `r${i}`,
          resourceId: `res-${i}`,
          actions: {
            view: { effect: "EFFECT_ALLOW", policy: i % 7 ? "resource.doc.vdefault" : "NO_MATCH" },
            edit: { effect, policy: "resource.doc.vdefault" },
          },
        },
      ],
    },
  });
}

const RECORDS = 60;
const SQL_COLUMN: Record<string, string> = {
  principal: "principal_id",
  agent: "acting_agent",
  action: "action",
  kind: "resource_kind",
  effect: "effect",
  policy: "policy",
  pdp: "pdp_instance",
};

async function expectedIds(sort: ExplorerSort, extraWhere = ""): Promise<string[]> {
  const tie = sort.column === "time" ? sort.direction : sort.direction === "asc" ? "desc" : "asc";
  const order =
    sort.column === "time"
      ? `decided_at ${tie}, id ${tie}`
      : `${SQL_COLUMN[sort.column]} ${sort.direction === "asc" ? "ASC NULLS LAST" : "DESC NULLS FIRST"}, decided_at ${tie}, id ${tie}`;
  // Aliased: "ORDER BY id" would otherwise sort the text output column.
  const { rows } = await getPool().query<{ id_text: string }>(
    `SELECT id::text AS id_text FROM hops WHERE pdp_instance = $1 ${extraWhere} ORDER BY ${order}`,
    [pdp],
  );
  return rows.map((r) => r.id_text);
}

async function walk(filters: ExplorerFilters, sort: ExplorerSort, pageSize: number): Promise<{ forward: string[]; backward: string[] }> {
  const forward: string[] = [];
  let after: string | null = null;
  let lastPrev: string | null = null;
  for (;;) {
    const page = await listHops(filters, sort, { after: after ? decodeCursor(after)! : undefined }, pageSize);
    forward.push(...page.rows.map((r) => r.id));
    lastPrev = page.prevCursor;
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  const lastPage = forward.slice(-(forward.length % pageSize || pageSize));
  const backward = [...lastPage];
  let before = lastPrev;
  while (before) {
    const page = await listHops(filters, sort, { before: decodeCursor(before)! }, pageSize);
    backward.unshift(...page.rows.map((r) => r.id));
    before = page.prevCursor;
  }
  return { forward, backward };
}

beforeAll(async () => {
  const lines = Array.from({ length: RECORDS }, (_, i) => decisionLine(i));
  // One access entry for record 0, and a conflicting copy of record 1 (same callId, other content).
  lines.push(JSON.stringify({ "log.logger": "cerbos.audit", "log.kind": "access", callId: `01EXPLORER${"0".padStart(16, "0")}`, timestamp: "2026-11-23T10:00:00Z", method: "/cerbos.svc.v1.CerbosService/CheckResources" }));
  const summary = await ingestBytes(getPool(), Buffer.from(lines.join("\n")), { channel: "cli", origin: "explorer-test", pdpInstance: pdp });
  expect(summary.rejected).toEqual([]);
  const conflict = decisionLine(1).replace('"res-1"', '"res-1-altered"');
  await ingestBytes(getPool(), Buffer.from(conflict), { channel: "cli", origin: "explorer-test-2", pdpInstance: pdp });
});

describe("listHops keyset pagination", () => {
  for (const column of SORT_COLUMNS) {
    for (const direction of ["asc", "desc"] as const) {
      it(`walks ${column} ${direction} forwards and backwards without gaps or repeats`, async () => {
        const sort = { column, direction };
        const expected = await expectedIds(sort);
        expect(expected.length).toBe((RECORDS + 1) * 2);
        const { forward, backward } = await walk({ pdp }, sort, 7);
        expect(forward).toEqual(expected);
        expect(backward).toEqual(expected);
      });
    }
  }

  it("applies filters (effect, role, free text, time range) with the same ordering", async () => {
    const sort: ExplorerSort = { column: "time", direction: "desc" };
    expect((await walk({ pdp, effect: "deny" }, sort, 5)).forward).toEqual(await expectedIds(sort, "AND effect = 'deny'"));
    expect((await walk({ pdp, role: "agent" }, sort, 5)).forward).toEqual(await expectedIds(sort, "AND 'agent' = ANY(roles)"));
    expect((await walk({ pdp, q: "AGENT_1" }, sort, 5)).forward).toEqual(await expectedIds(sort, "AND search_text LIKE '%agent\\_1%'"));
    // "_" is literal in search, not a LIKE wildcard: "agent_1" must not match "agentx1"-like text.
    expect((await listHops({ pdp, q: "agent%" }, sort, {}, 10)).rows).toEqual([]);
    const inRange = await walk({ pdp, from: "2026-11-23T10:05", to: "2026-11-23T10:06" }, sort, 4);
    expect(inRange.forward).toEqual(await expectedIds(sort, "AND decided_at >= '2026-11-23T10:05Z' AND decided_at < '2026-11-23T10:07Z'"));
  });

  it("counts matches exactly below the cap", async () => {
    const count = await countHopsCapped({ pdp });
    expect(count).toMatchObject({ matched: (RECORDS + 1) * 2, capped: false });
    expect((await countHopsCapped({ pdp, effect: "deny" })).matched).toBe((await expectedIds({ column: "time", direction: "desc" }, "AND effect = 'deny'")).length);
  });
});

describe("getRecordDetail", () => {
  it("links the access entry and the conflicting record", async () => {
    const { rows } = await getPool().query<{ id: string; record_key: string; is_conflict: boolean }>(
      `SELECT id::text, record_key, is_conflict FROM records WHERE pdp_instance = $1 AND kind = 'decision' AND record_key IN ($2, $3) ORDER BY id`,
      [pdp, `01EXPLORER${"0".padStart(16, "0")}`, `01EXPLORER${"1".padStart(16, "0")}`],
    );
    const first = await getRecordDetail(rows[0].id);
    expect(first?.linked.map((r) => r.kind)).toEqual(["access"]);
    expect(first?.hops.map((h) => h.action).sort()).toEqual(["edit", "view"]);
    const original = rows.find((r) => r.record_key.endsWith("1") && !r.is_conflict)!;
    const conflicting = rows.find((r) => r.is_conflict)!;
    const detail = await getRecordDetail(conflicting.id);
    expect(detail?.isConflict).toBe(true);
    expect(detail?.sameKey.map((r) => r.id)).toEqual([original.id]);
    expect(detail?.rawText).toContain("res-1-altered");
  });

  it("answers null for unknown or malformed ids", async () => {
    expect(await getRecordDetail("999999999999")).toBeNull();
    expect(await getRecordDetail("abc")).toBeNull();
    expect(await getRecordDetail("99999999999999999999999")).toBeNull();
  });
});
