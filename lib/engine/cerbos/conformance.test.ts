// Cerbos conformance: every engine case (and the strict/lenient/schema variants) against the
// conformance store. The thresholds equal what passes today, so any regression fails; failing
// case names are printed.
import { describe, expect, it } from "vitest";
import { engineSuites, runEngineCases } from "./testing/engine-cases.ts";

const MIN_PASSING: Record<string, number> = {
  engine: 39,
  engine_strict_scope_search: 2,
  engine_lenient_scope_search: 2,
  "engine_schema_enforcement/warn": 3,
  "engine_schema_enforcement/reject": 3,
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
