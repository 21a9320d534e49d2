// `now()` is fixed once per check call (as in Cerbos) and is an explicit input here, so replays
// are deterministic. Evaluation is synchronous, so a module-level slot set by the evaluator
// before each request is safe and avoids threading the time through every CEL call.
let currentNow = new Date(0);

export function setEvaluationTime(now: Date): void {
  currentNow = now;
}

export function evaluationTime(): Date {
  return currentNow;
}
