// Runs Cerbos's verify cases (internal/test/testdata/verify/cases): each is a txtar with a test
// suite and fixtures, run against the conformance store, compared with the `.golden` results.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { compileCerbosDirectory } from "../engine.ts";
import type { CerbosPolicySet } from "../engine.ts";
import { loadFixtures, parseSuite, SuiteError } from "../verify/suite.ts";
import { runSuite, type SuiteResult } from "../verify/runner.ts";
import { parseTxtar } from "../verify/txtar.ts";
import { CONFORMANCE_ROOT, type CaseResult } from "./engine-cases.ts";

interface GoldenAction {
  key: string;
  result: string;
  effect?: string;
}

function goldenActions(golden: Record<string, unknown>): { overall: string; actions: GoldenAction[] } {
  const actions: GoldenAction[] = [];
  const suites = (golden.suites ?? []) as Record<string, unknown>[];
  for (const s of suites) {
    for (const tc of (s.testCases ?? []) as Record<string, unknown>[]) {
      for (const p of (tc.principals ?? []) as Record<string, unknown>[]) {
        for (const r of (p.resources ?? []) as Record<string, unknown>[]) {
          for (const a of (r.actions ?? []) as Record<string, unknown>[]) {
            const d = a.details as Record<string, Record<string, string> | string>;
            const effect = (d.success as Record<string, string> | undefined)?.effect ?? (d.failure as Record<string, string> | undefined)?.actual;
            actions.push({ key: `${tc.name}|${p.name}|${r.name}|${a.name}`, result: d.result as string, effect });
          }
        }
      }
    }
  }
  return { overall: ((golden.summary ?? {}) as Record<string, string>).overallResult ?? "", actions };
}

function runCase(dir: string, name: string, store: CerbosPolicySet): CaseResult & { actions: number; actionsMatching: number } {
  const conf = (parse(readFileSync(join(dir, name), "utf8")) ?? {}) as Record<string, unknown>;
  const config = (conf.config ?? {}) as Record<string, unknown>;
  const golden = goldenActions(JSON.parse(readFileSync(join(dir, `${name}.golden`), "utf8")) as Record<string, unknown>);
  const { files } = parseTxtar(readFileSync(join(dir, `${name}.input`), "utf8"));
  const suiteFiles = [...files.keys()].filter((f) => !f.startsWith("testdata/"));
  const results: SuiteResult[] = suiteFiles.map((file) => {
    try {
      const suite = parseSuite(files.get(file) ?? "", loadFixtures(files));
      return runSuite(suite, store, {
        excludedResourcePolicyFqns: config.excludedResourcePolicyFqns as string[] | undefined,
        excludedPrincipalPolicyFqns: config.excludedPrincipalPolicyFqns as string[] | undefined,
        includedTestNamesRegexp: config.includedTestNamesRegexp as string | undefined,
      });
    } catch (err) {
      if (!(err instanceof SuiteError)) throw err;
      return { name: "Unknown", overallResult: "RESULT_ERRORED", error: err.message, actions: [] };
    }
  });
  const order = ["RESULT_ERRORED", "RESULT_FAILED", "RESULT_PASSED", "RESULT_SKIPPED"];
  const result = {
    overallResult: results.map((r) => r.overallResult).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? "RESULT_PASSED",
    error: results.find((r) => r.error)?.error,
    actions: results.flatMap((r) => r.actions),
  };
  const diffs: string[] = [];
  if (result.overallResult !== golden.overall) diffs.push(`overall: have ${result.overallResult} want ${golden.overall} ${result.error ?? ""}`);
  const have = new Map(result.actions.map((a) => [`${a.test}|${a.principal}|${a.resource}|${a.action}`, a.details]));
  let matching = 0;
  for (const g of golden.actions) {
    const h = have.get(g.key);
    const hEffect = h?.success?.effect ?? h?.failure?.actual;
    if (h && h.result === g.result && hEffect === g.effect) matching++;
    else diffs.push(`${g.key}: have ${h?.result}/${hEffect} want ${g.result}/${g.effect}`);
  }
  return { name, pass: diffs.length === 0, diffs, actions: golden.actions.length, actionsMatching: matching };
}

export function runVerifyCases(): { cases: (CaseResult & { actions: number; actionsMatching: number })[] } {
  const dir = join(CONFORMANCE_ROOT, "verify/cases");
  const compiled = compileCerbosDirectory(join(CONFORMANCE_ROOT, "store"));
  if (!compiled.ok) throw new Error("store does not compile");
  const names = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  return { cases: names.map((n) => runCase(dir, n, compiled.policySet!)) };
}
