// Runs Cerbos's cel_eval cases: one condition, one request, the expected boolean, evaluated
// with now = 2021-04-22T10:05:20.021-05:00 as Cerbos's evaluator_test.go does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { CheckInput } from "../api-types.ts";
import { setEvaluationTime } from "../cel/clock.ts";
import { compileCondition } from "../compile/conditions.ts";
import { CompileErrors, DocContext } from "../compile/context.ts";
import { EvalContext } from "../eval/eval-context.ts";
import { CONFORMANCE_ROOT, type CaseResult } from "./engine-cases.ts";

export const CEL_EVAL_NOW = new Date("2021-04-22T10:05:20.021-05:00");

export function runCelEvalCases(): CaseResult[] {
  const dir = join(CONFORMANCE_ROOT, "cel_eval");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((name) => {
      const tc = parse(readFileSync(join(dir, name), "utf8")) as { condition: unknown; request: Record<string, unknown>; want?: boolean; wantError?: boolean };
      const errors = new CompileErrors();
      const ctx = new DocContext({ file: name, index: 0, value: tc, positions: new Map(), position: { line: 1, column: 1 } }, errors);
      const cond = compileCondition(ctx, "condition", { match: tc.condition }, () => {});
      if (errors.list.length) return { name, pass: tc.wantError === true, diffs: errors.list.map((e) => e.message) };
      const req = tc.request as { principal: CheckInput["principal"]; resource: CheckInput["resource"]; auxData?: CheckInput["auxData"] };
      const input: CheckInput = { principal: req.principal, resource: req.resource, actions: [], auxData: req.auxData };
      setEvaluationTime(CEL_EVAL_NOW);
      const ec = new EvalContext(input, {}, false, false);
      let got: boolean;
      try {
        got = ec.satisfies(cond, {}, {});
      } catch (err) {
        return { name, pass: tc.wantError === true, diffs: [`threw ${(err as Error).message}`] };
      }
      const want = tc.want ?? false;
      const diffs = tc.wantError ? ["expected an error"] : got === want ? [] : [`have ${got} want ${want}; errors ${JSON.stringify(ec.evaluationErrors())}`];
      return { name, pass: diffs.length === 0, diffs };
    });
}
