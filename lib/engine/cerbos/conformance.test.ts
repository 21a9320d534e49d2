// Cerbos conformance: every engine case (and the strict/lenient/schema variants) against the
// conformance store. The thresholds equal what passes today, so any regression fails; failing
// case names are printed.
import { describe, expect, it } from "vitest";
import { runCelEvalCases } from "./testing/cel-eval-cases.ts";
import { engineSuites, runEngineCases } from "./testing/engine-cases.ts";
import { runVerifyCases } from "./testing/verify-cases.ts";

const MIN_PASSING: Record<string, number> = {
  engine: 39,
  engine_strict_scope_search: 2,
  engine_lenient_scope_search: 2,
  "engine_schema_enforcement/warn": 3,
  "engine_schema_enforcement/reject": 3,
  "verify/cases": 45,
  "verify/cases (action results)": 172,
  cel_eval: 17,
};

describe("Cerbos engine conformance", () => {
  for (const suite of engineSuites()) {
    it(suite.name, () => {
      const results = runEngineCases(suite.dir, suite.config);
      const passed = results.filter((r) => r.pass).length;
      const failing = results.filter((r) => !r.pass);
      console.log(`[conformance] ${suite.name}: ${passed}/${results.length} passed`);
      for (const f of failing) console.log(`[conformance]   FAIL ${suite.name}/${f.name}: ${f.diffs.slice(0, 3).join(" | ")}`);
      expect(passed, `failing: ${failing.map((f) => f.name).join(", ")}`).toBeGreaterThanOrEqual(MIN_PASSING[suite.name]!);
    });
  }
});

describe("Cerbos policy test suites (verify/cases)", () => {
  it("verify/cases", () => {
    const { cases } = runVerifyCases();
    const passed = cases.filter((c) => c.pass).length;
    const actions = cases.reduce((n, c) => n + c.actions, 0);
    const actionsMatching = cases.reduce((n, c) => n + c.actionsMatching, 0);
    const failing = cases.filter((c) => !c.pass);
    console.log(`[conformance] verify/cases: ${passed}/${cases.length} suites, ${actionsMatching}/${actions} action results as golden`);
    for (const f of failing) console.log(`[conformance]   FAIL verify/${f.name}: ${f.diffs.slice(0, 3).join(" | ")}`);
    expect(passed, `failing: ${failing.map((f) => f.name).join(", ")}`).toBeGreaterThanOrEqual(MIN_PASSING["verify/cases"]!);
    expect(actionsMatching).toBeGreaterThanOrEqual(MIN_PASSING["verify/cases (action results)"]!);
  });
});

describe("Cerbos CEL evaluation cases (cel_eval)", () => {
  it("cel_eval", () => {
    const results = runCelEvalCases();
    const passed = results.filter((r) => r.pass).length;
    const failing = results.filter((r) => !r.pass);
    console.log(`[conformance] cel_eval: ${passed}/${results.length} passed`);
    for (const f of failing) console.log(`[conformance]   FAIL cel_eval/${f.name}: ${f.diffs.join(" | ")}`);
    expect(passed, `failing: ${failing.map((f) => f.name).join(", ")}`).toBeGreaterThanOrEqual(MIN_PASSING.cel_eval!);
  });
});
