// Every demo Cerbos decision must be reproducible: evaluating a record's input with the embedded
// engine and the policy version its policySource.git.hash names gives exactly what it records.
import { describe, expect, it } from "vitest";
import { compileCerbosPolicies, type CerbosPolicySet, type CheckInput } from "../engine/cerbos/index.ts";
import { demoPolicyHistory, generateDemoLogs, type DemoPolicyHistory } from "./index.ts";

function compileHistory(history: DemoPolicyHistory): Map<string, CerbosPolicySet> {
  const byHash = new Map<string, CerbosPolicySet>();
  for (const commit of history.commits) {
    const outcome = compileCerbosPolicies({ policies: commit.files.map((f) => ({ path: f.path, text: f.content })), schemas: [] });
    if (!outcome.ok) throw new Error(`${commit.message}: ${JSON.stringify(outcome.errors)}`);
    byHash.set(commit.hash, outcome.policySet!);
  }
  return byHash;
}

interface CheckLine {
  timestamp: string;
  policySource: { git: { hash: string } };
  checkResources: { inputs: CheckInput[]; outputs: Array<Record<string, unknown>> };
}

function checkLines(ndjson: Buffer): CheckLine[] {
  return ndjson
    .toString()
    .split("\n")
    .filter((l) => l.includes('"checkResources"'))
    .map((l) => JSON.parse(l) as CheckLine);
}

/** The engine's answer in the logged shape: empty lists are not written. */
function asLogged(out: ReturnType<CerbosPolicySet["check"]>): Record<string, unknown> {
  const logged: Record<string, unknown> = { requestId: out.requestId, resourceId: out.resourceId, actions: out.actions };
  if (out.effectiveDerivedRoles.length) logged.effectiveDerivedRoles = out.effectiveDerivedRoles;
  if (out.validationErrors.length) logged.validationErrors = out.validationErrors;
  if (out.outputs.length) logged.outputs = out.outputs;
  if (out.evaluationErrors.length) logged.evaluationErrors = out.evaluationErrors;
  return logged;
}

describe("demo Cerbos decisions replay with the demo policies", () => {
  for (const seed of [3, 11]) {
    it(`seed ${seed}: every check output is what the named policy version decides`, () => {
      const demo = generateDemoLogs({ seed, count: 3000 });
      const sets = compileHistory(demoPolicyHistory(demo.policyTimeline));
      const lines = checkLines(demo.cerbosNdjson);
      const versionsSeen = new Set<string>();
      let checked = 0;
      let denied = 0;
      for (const line of lines) {
        const set = sets.get(line.policySource.git.hash);
        expect(set, `unknown policy hash ${line.policySource.git.hash}`).toBeDefined();
        versionsSeen.add(line.policySource.git.hash);
        line.checkResources.inputs.forEach((input, i) => {
          const replayed = set!.check(input, { now: new Date(line.timestamp) });
          expect(asLogged(replayed)).toEqual(line.checkResources.outputs[i]);
          for (const a of Object.values(replayed.actions)) {
            checked++;
            if (a.effect === "EFFECT_DENY") denied++;
          }
        });
      }
      expect(versionsSeen.size).toBe(3);
      expect(checked).toBeGreaterThan(2000);
      // Not a rubber stamp, not a wall.
      expect(denied / checked).toBeGreaterThan(0.08);
      expect(denied / checked).toBeLessThan(0.35);
    });
  }

  it("the incident's sub-agent approval is ALLOW under v2 and DENY under v1 and v3", () => {
    const demo = generateDemoLogs({ seed: 7, count: 4000 });
    const incident = demo.incident!;
    const history = demoPolicyHistory(demo.policyTimeline);
    const sets = compileHistory(history);
    const line = checkLines(demo.cerbosNdjson).find((l) => l.checkResources.inputs.some((i) => i.resource.id === incident.paymentId && i.actions.includes("approve")))!;
    const input = line.checkResources.inputs[0];
    expect(input.principal.id).toBe("agent:fx-quoter");
    expect(line.policySource.git.hash).toBe(history.commits[1].hash);
    const now = new Date(line.timestamp);
    const approve = (v: number) => sets.get(history.commits[v - 1].hash)!.check(input, { now });
    expect(approve(2).actions.approve.effect).toBe("EFFECT_ALLOW");
    expect(approve(1).actions.approve.effect).toBe("EFFECT_DENY");
    expect(approve(1).outputs.map((o) => o.val)).toContain("agent_blocked:agent:fx-quoter");
    // Replays need the decision time: two hours on, the one-hour delegation token has expired.
    const later = sets.get(history.commits[1].hash)!.check(input, { now: new Date(now.getTime() + 2 * 3_600_000) });
    expect(later.actions.approve.effect).toBe("EFFECT_DENY");
    expect(later.effectiveDerivedRoles).not.toContain("delegated_agent");
    const v3 = approve(3);
    expect(v3.actions.approve.effect).toBe("EFFECT_DENY");
    expect(v3.outputs.map((o) => o.val)).toContain("missing_scope:payments:approve");
    // The parent's execution of the 48,500 EUR payment passes v2's limit and fails v3's 10k limit.
    const exec = checkLines(demo.cerbosNdjson).find((l) => l.checkResources.inputs.some((i) => i.resource.id === incident.paymentId && i.actions.includes("execute")))!;
    const execInput = exec.checkResources.inputs[0];
    expect(exec.checkResources.outputs[0]).toMatchObject({ actions: { execute: { effect: "EFFECT_ALLOW" } } });
    const v3exec = sets.get(history.commits[2].hash)!.check(execInput, { now });
    expect(v3exec.actions.execute.effect).toBe("EFFECT_DENY");
    expect(v3exec.outputs.map((o) => o.val)).toContain("amount_over_agent_limit");
  });

  it("bad attributes the generator emits surface as CEL evaluation errors", () => {
    const demo = generateDemoLogs({ seed: 3, count: 3000 });
    const errors = checkLines(demo.cerbosNdjson).flatMap((l) => l.checkResources.outputs.flatMap((o) => (o.evaluationErrors as Array<{ celError: { expression: string; message: string } }>) ?? []));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.celError.message)).toContain("no such overload");
  });
});
