// Replays one Cerbos decision entry against a compiled policy set: pure, no database. The entry's own
// timestamp is now() unless the caller fixes another time.
import type { CerbosPolicySet, CheckOutput, Explanation } from "../engine/cerbos/index.ts";
import { loggedChecks, type RecordedAction } from "./cerbos-inputs.ts";

export interface ActionReplay {
  action: string;
  /** What the PDP decided, as logged (null when the log has no output for the action). */
  recorded: RecordedAction | null;
  replayed: { effect: string; policy: string; scope?: string; rule?: string };
  match: boolean;
}

export interface InputReplay {
  inputIndex: number;
  requestId: string;
  resource: { kind: string; id: string; policyVersion: string; scope: string };
  principal: { id: string; roles: string[] };
  actions: ActionReplay[];
  recordedDerivedRoles: string[];
  replayedDerivedRoles: string[];
  recordedOutputs: unknown[];
  replayedOutputs: CheckOutput["outputs"];
  recordedEvaluationErrors: unknown[];
  replayedEvaluationErrors: CheckOutput["evaluationErrors"];
  validationErrors: CheckOutput["validationErrors"];
  explanation?: Explanation;
}

export type ReplayStatus = "reproduced" | "diverged";

export interface EntryReplay {
  status: ReplayStatus;
  now: string;
  inputs: InputReplay[];
}

export function replayEntry(
  policySet: CerbosPolicySet,
  entry: Record<string, unknown>,
  now: Date,
  opts: { explain?: boolean } = {},
): EntryReplay | null {
  const checks = loggedChecks(entry);
  if (!checks) return null;
  const inputs: InputReplay[] = checks.map((c) => {
    const out = policySet.check(c.input, { now, explain: opts.explain });
    const actions: ActionReplay[] = c.input.actions.map((action) => {
      const recorded = c.recordedActions[action] ?? null;
      const r = out.actions[action];
      const rule = out.explanation?.actions[action]?.rule;
      const replayed = { effect: r?.effect ?? "EFFECT_DENY", policy: r?.policy ?? "NO_MATCH", ...(r?.scope ? { scope: r.scope } : {}), ...(rule ? { rule } : {}) };
      return { action, recorded, replayed, match: recorded !== null && recorded.effect === replayed.effect };
    });
    return {
      inputIndex: c.inputIndex,
      requestId: c.input.requestId ?? "",
      resource: { kind: c.input.resource.kind, id: c.input.resource.id, policyVersion: c.input.resource.policyVersion ?? "", scope: c.input.resource.scope ?? "" },
      principal: { id: c.input.principal.id, roles: c.input.principal.roles },
      actions,
      recordedDerivedRoles: c.recordedDerivedRoles,
      replayedDerivedRoles: out.effectiveDerivedRoles,
      recordedOutputs: c.recordedOutputs,
      replayedOutputs: out.outputs,
      recordedEvaluationErrors: c.recordedEvaluationErrors,
      replayedEvaluationErrors: out.evaluationErrors,
      validationErrors: out.validationErrors,
      ...(out.explanation ? { explanation: out.explanation } : {}),
    };
  });
  const status: ReplayStatus = inputs.every((i) => i.actions.every((a) => a.match)) ? "reproduced" : "diverged";
  return { status, now: now.toISOString(), inputs };
}
