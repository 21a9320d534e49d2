// Differential test: the same seeded random CheckResources requests go to the real Cerbos 0.55
// server (npm @cerbos/cerbos-linux-x64, loopback only) and to the embedded engine; effects must
// be identical, and so are (asserted too) matched policy/scope, outputs, and — read back from
// Cerbos's own decision log — evaluationErrors and effectiveDerivedRoles. Runs on Cerbos's
// conformance store and on our own feature-complete policy set.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findCerbosBinary } from "./testing/cerbos-server.ts";
import { CONFORMANCE_STORE_VOCABULARY } from "./testing/conformance-vocabulary.ts";
import { runDifferential, type DifferentialResult } from "./testing/differential.ts";
import { CONFORMANCE_ROOT } from "./testing/engine-cases.ts";
import { FIXTURE_POLICIES_DIR, FIXTURE_VOCABULARY } from "./testing/fixture-vocabulary.ts";

const binary = findCerbosBinary();
if (!binary.path) console.warn(`[differential] SKIPPED: the real Cerbos binary cannot run here: ${binary.reason}`);

function report(name: string, r: DifferentialResult): void {
  console.log(
    `[differential] ${name}: ${r.requests} requests (${r.rejected} rejected by Cerbos), ${r.actionsCompared} actions, ` +
      `${r.effectMismatches.length} effect mismatches, ${r.metaMismatches.length} policy/scope mismatches, ` +
      `${r.outputsCompared} outputs with ${r.outputMismatches.length} mismatching results, ` +
      `${r.decisionLogInputs} decision-log inputs with ${r.decisionLogMismatches.length} evaluationErrors/derived-role mismatches`,
  );
  for (const m of [...r.effectMismatches, ...r.metaMismatches, ...r.outputMismatches, ...r.decisionLogMismatches].slice(0, 5)) console.log(`[differential]   ${m.slice(0, 600)}`);
}

const RUNS = [
  { name: "conformance store", policyDir: join(CONFORMANCE_ROOT, "store"), vocabulary: CONFORMANCE_STORE_VOCABULARY, count: 1500, seed: 42, config: { globals: { environment: "test" } } },
  { name: "fixture policies", policyDir: FIXTURE_POLICIES_DIR, vocabulary: FIXTURE_VOCABULARY, count: 800, seed: 7, config: {} },
  { name: "fixture policies, schema reject", policyDir: FIXTURE_POLICIES_DIR, vocabulary: FIXTURE_VOCABULARY, count: 400, seed: 8, config: { schemaEnforcement: "reject" as const } },
  { name: "fixture policies, strict evaluation", policyDir: FIXTURE_POLICIES_DIR, vocabulary: FIXTURE_VOCABULARY, count: 400, seed: 9, config: { strictEvaluation: true } },
  { name: "fixture policies, lenient scope search", policyDir: FIXTURE_POLICIES_DIR, vocabulary: FIXTURE_VOCABULARY, count: 400, seed: 10, config: { lenientScopeSearch: true } },
];

describe.skipIf(!binary.path)("embedded engine vs real Cerbos 0.55", () => {
  for (const run of RUNS) {
    it(run.name, { timeout: 60_000 }, async () => {
      const r = await runDifferential({ ...run, compareDecisionLog: true });
      report(run.name, r);
      expect(r.rejected).toBeLessThan(r.requests / 10);
      expect(r.effectMismatches).toEqual([]);
      // Also identical today; kept as assertions so a regression in attribution or outputs shows.
      expect(r.metaMismatches).toEqual([]);
      expect(r.outputMismatches).toEqual([]);
      expect(r.decisionLogInputs).toBeGreaterThan(r.requests);
      expect(r.decisionLogMismatches).toEqual([]);
    });
  }
});
