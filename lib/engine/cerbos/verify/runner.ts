// Runs a Cerbos policy test suite against a compiled policy set and reports results in the
// `cerbos compile --output=json` (cerbos.policy.v1.TestResults) shape.
import type { JsonValue } from "../../types.ts";
import type { CheckInput, OutputEntry } from "../api-types.ts";
import { timeWasNeeded } from "../cel/clock.ts";
import { normalizeScope, principalPolicyFqn, resourcePolicyFqn } from "../compile/naming.ts";
import type { CerbosPolicySet } from "../engine.ts";
import type { Suite } from "./suite.ts";

export type TestResult = "RESULT_PASSED" | "RESULT_FAILED" | "RESULT_ERRORED" | "RESULT_SKIPPED";

export interface ActionDetails {
  result: TestResult;
  success?: { effect: string; outputs?: OutputEntry[] };
  failure?: { expected: string; actual: string };
  skipReason?: string;
  error?: string;
}

export interface ActionResult {
  test: string;
  principal: string;
  resource: string;
  action: string;
  details: ActionDetails;
}

export interface SuiteResult {
  name: string;
  overallResult: TestResult;
  error?: string;
  skipReason?: string;
  actions: ActionResult[];
}

export interface RunOptions {
  excludedResourcePolicyFqns?: string[];
  excludedPrincipalPolicyFqns?: string[];
  includedTestNamesRegexp?: string;
}

const NOW_MISSING = "a policy used a time-based condition, but `now` was not provided in the test options";

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

function overall(results: TestResult[]): TestResult {
  if (results.includes("RESULT_ERRORED")) return "RESULT_ERRORED";
  if (results.includes("RESULT_FAILED")) return "RESULT_FAILED";
  if (results.length > 0 && results.every((r) => r === "RESULT_SKIPPED")) return "RESULT_SKIPPED";
  return "RESULT_PASSED";
}

export function runSuite(suite: Suite, policySet: CerbosPolicySet, opts: RunOptions = {}): SuiteResult {
  if (suite.skip) return { name: suite.name, overallResult: "RESULT_SKIPPED", skipReason: suite.skipReason, actions: [] };
  const nameFilter = opts.includedTestNamesRegexp ? new RegExp(opts.includedTestNamesRegexp) : undefined;
  const excludedResources = new Set(opts.excludedResourcePolicyFqns ?? []);
  const excludedPrincipals = new Set(opts.excludedPrincipalPolicyFqns ?? []);
  const actions: ActionResult[] = [];
  for (const test of suite.tests) {
    const o = { ...suite.options, ...test.options };
    const config = {
      defaultPolicyVersion: o.defaultPolicyVersion ?? "default",
      defaultScope: o.defaultScope ?? "",
      lenientScopeSearch: o.lenientScopeSearch ?? false,
      strictEvaluation: o.strictEvaluation ?? false,
      globals: o.globals ?? {},
    };
    const ps = policySet.withConfig(config);
    const skipReason = test.skip ? test.skipReason : nameFilter && !nameFilter.test(test.name) ? "Test name did not match the provided pattern" : undefined;
    for (const pName of test.principals) {
      const principal = suite.principals.get(pName)!;
      for (const rName of test.resources) {
        const resource = suite.resources.get(rName)!;
        const push = (action: string, details: ActionDetails) => actions.push({ test: test.name, principal: pName, resource: rName, action, details });
        let excludedReason: string | undefined;
        const rFqn = resourcePolicyFqn(String(resource.kind ?? ""), resource.policyVersion || config.defaultPolicyVersion, normalizeScope(resource.scope || config.defaultScope));
        const pFqn = principalPolicyFqn(String(principal.id ?? ""), principal.policyVersion || config.defaultPolicyVersion, normalizeScope(principal.scope || config.defaultScope));
        if (excludedResources.has(rFqn)) excludedReason = "Resource matched a policy that was excluded from the bundle";
        else if (excludedPrincipals.has(pFqn)) excludedReason = "Principal matched a policy that was excluded from the bundle";
        if (skipReason !== undefined || excludedReason !== undefined) {
          for (const a of test.actions) push(a, { result: "RESULT_SKIPPED", skipReason: skipReason ?? excludedReason });
          continue;
        }
        const input: CheckInput = {
          requestId: "test",
          principal: { ...principal, roles: principal.roles ?? [], attr: principal.attr ?? {} },
          resource: { ...resource, attr: resource.attr ?? {} },
          actions: test.actions,
          auxData: test.auxData ? suite.auxData.get(test.auxData) : undefined,
        };
        const out = ps.checkAt(input, o.now ? new Date(o.now) : undefined);
        const nowMissing = timeWasNeeded();
        const expectation = test.expected.find((e) => e.principals.includes(pName) && e.resources.includes(rName));
        for (const a of test.actions) {
          if (nowMissing) {
            push(a, { result: "RESULT_ERRORED", error: NOW_MISSING });
            continue;
          }
          const expected = expectation?.actions[a] ?? "EFFECT_DENY";
          const actual = out.actions[a]!.effect;
          let ok = expected === actual;
          for (const oe of expectation?.outputs.filter((x) => x.action === a) ?? []) {
            for (const want of oe.expected) {
              const have = out.outputs.find((x) => x.action === a && x.src === want.src);
              if (!have || canonical(have.val as JsonValue) !== canonical(want.val)) ok = false;
            }
          }
          push(a, ok ? { result: "RESULT_PASSED", success: { effect: actual } } : { result: "RESULT_FAILED", failure: { expected, actual } });
        }
      }
    }
  }
  return { name: suite.name, overallResult: overall(actions.map((a) => a.details.result)), actions };
}
