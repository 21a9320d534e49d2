// Impact exports (CSV and JSON) mask sensitive cells: a principal id that is an e-mail address, by the
// detector; any column an admin rule names (hop-document paths such as resource.id).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as csvRoute } from "../app/api/impact/[runId]/csv/route.ts";
import { GET as jsonRoute } from "../app/api/impact/[runId]/json/route.ts";
import { clearSensitiveRulesCache, SETTINGS_KEY, writeSensitiveRules } from "../lib/masking/settings.ts";
import { params, request, user } from "./masking-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const owner = user("policy-owner", ["policy_owner"]);
let runId = "";

beforeAll(async () => {
  clearSensitiveRulesCache();
  const pool = getPool();
  const { rows } = await pool.query(
    `INSERT INTO impact_runs (candidate_id, filters, status, requested_by) VALUES (1, '{}', 'done', 'test') RETURNING id::text`,
  );
  runId = rows[0].id;
  await pool.query(
    `INSERT INTO impact_flips (run_id, hop_id, record_id, decided_at, action, from_effect, to_effect, principal_id, acting_agent, resource_kind, resource_id, from_policy, to_policy)
     VALUES ($1, 1, 1, '2026-08-01T00:00:00Z', 'approve', 'allow', 'deny', 'carol@acme.example', 'agent:fx-quoter', 'payment', 'pay-1', 'p', 'p'),
            ($1, 2, 2, '2026-08-01T00:01:00Z', 'approve', 'allow', 'deny', 'dave', 'agent:fx-quoter', 'payment', 'pay-2', 'p', 'p')`,
    [runId],
  );
});

afterAll(async () => {
  await getPool().query(`DELETE FROM app_settings WHERE key = $1`, [SETTINGS_KEY]);
  clearSensitiveRulesCache();
});

describe("impact exports", () => {
  it("CSV masks e-mail principals and keeps the rest", async () => {
    const res = await csvRoute(request(owner, "GET", `/api/impact/${runId}/csv`), params({ runId }));
    const csv = await res.text();
    expect(csv).not.toContain("carol@acme.example");
    expect(csv).toContain("•••• masked (email)");
    expect(csv).toContain(",dave,");
  });

  it("JSON masks the same cells, and follows an admin rule naming a hop column", async () => {
    await writeSensitiveRules(getPool(), "@defaults\nresource.id", "test");
    const res = await jsonRoute(request(owner, "GET", `/api/impact/${runId}/json`), params({ runId }));
    const body = JSON.parse(await res.text());
    expect(body.flips.map((f: { principalId: string; resourceId: string }) => [f.principalId, f.resourceId])).toEqual([
      ["•••• masked (email)", "•••• masked (id)"],
      ["dave", "•••• masked (id)"],
    ]);
  });
});
