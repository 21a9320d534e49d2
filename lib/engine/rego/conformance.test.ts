// Measures the interpreter against OPA's conformance cases (shared/conformance/opa). Prints
// pass counts per directory and asserts they do not drop below what passes today.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type CaseOutcome, caseFromValue, runCase, sortBindings } from "./conformance.ts";
import { parseJsonValue } from "./values/json.ts";
import { RegoObject, RegoSet, type Value, valuesEqual } from "./values/value.ts";

const CASES_FILE = new URL("../../../../shared/conformance/opa/rego-v1-cases.json", import.meta.url);

// Passing counts per directory measured on the current code (REGO_UPDATE_BASELINE=1 rewrites the
// file after an improvement); any directory passing fewer cases than recorded fails the test.
const BASELINE_FILE = new URL("./conformance-baseline.json", import.meta.url);

function judge(raw: RegoObject, outcome: CaseOutcome): string | undefined {
  const wantCode = raw.get("want_error_code");
  const wantError = raw.get("want_error");
  const wantResult = raw.get("want_result");
  if ("error" in outcome) {
    if (wantCode === undefined && wantError === undefined) return `unexpected error ${outcome.error.code}: ${outcome.error.message}`;
    if (wantCode !== undefined && wantCode !== outcome.error.code) return `error code ${outcome.error.code} (${outcome.error.message}), want ${String(wantCode)}`;
    if (typeof wantError === "string" && !outcome.error.message.includes(wantError)) return `error "${outcome.error.message}" lacks "${wantError}"`;
    return undefined;
  }
  if (wantCode !== undefined || wantError !== undefined) return `want error ${String(wantCode ?? wantError)}, got result`;
  if (!Array.isArray(wantResult)) return "case has no expectation";
  const sort = raw.get("sort_bindings") === true;
  const norm = (xs: Value[]) => RegoSet.from(xs.map((x) => (sort ? sortBindings(x) : x)));
  const got = norm(outcome.result);
  const want = norm(wantResult);
  if (!valuesEqual(got, want)) return `result ${JSON.stringify(show(got))}, want ${JSON.stringify(show(want))}`;
  return undefined;
}

function show(v: Value): unknown {
  if (v instanceof RegoSet) return v.sorted().map(show);
  if (v instanceof RegoObject) return Object.fromEntries(v.sortedEntries().map(([k, x]) => [String(k), show(x)]));
  if (Array.isArray(v)) return v.map(show);
  return typeof v === "bigint" ? v.toString() : v;
}

describe("OPA conformance", () => {
  it("passes the measured share of cases", () => {
    const all = parseJsonValue(readFileSync(CASES_FILE, "utf8")) as RegoObject;
    const cases = all.get("cases") as Value[];
    const perDir = new Map<string, { pass: number; total: number }>();
    const failures: string[] = [];
    let pass = 0;
    for (const raw of cases as RegoObject[]) {
      const c = caseFromValue(raw);
      const dir = (c.file ?? c.note).split("/")[0];
      const counts = perDir.get(dir) ?? { pass: 0, total: 0 };
      perDir.set(dir, counts);
      counts.total++;
      let problem: string | undefined;
      try {
        problem = judge(raw, runCase(c));
      } catch (err) {
        problem = `crash: ${(err as Error).message}`;
      }
      if (problem) failures.push(`${c.note}: ${problem}`);
      else {
        pass++;
        counts.pass++;
      }
    }
    const lines = [...perDir].sort(([a], [b]) => a.localeCompare(b)).map(([d, c]) => `${d} ${c.pass}/${c.total}`);
    // Every failing case with the reason, then the per-directory counts.
    console.log(`failing cases (${failures.length}):\n` + failures.map((f) => "  " + f.slice(0, 240)).join("\n"));
    console.log(lines.join("\n"));
    console.log(`TOTAL ${pass}/${cases.length}`);
    const measured = Object.fromEntries([...perDir].sort(([a], [b]) => a.localeCompare(b)).map(([d, c]) => [d, c.pass]));
    if (process.env.REGO_UPDATE_BASELINE) writeFileSync(BASELINE_FILE, JSON.stringify({ total: pass, of: cases.length, perDirectory: measured }, null, 2) + "\n");
    const baseline = JSON.parse(readFileSync(BASELINE_FILE, "utf8")) as { total: number; perDirectory: Record<string, number> };
    const regressions = Object.entries(baseline.perDirectory).filter(([d, n]) => (measured[d] ?? 0) < n).map(([d, n]) => `${d}: ${measured[d] ?? 0} < ${n}`);
    expect(regressions).toEqual([]);
    expect(pass).toBeGreaterThanOrEqual(baseline.total);
  });
});
