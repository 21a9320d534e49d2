// `now()` is fixed once per check call (as in Cerbos) and is an explicit input here, so replays
// are deterministic. Evaluation is synchronous, so a module-level slot set by the evaluator
// before each request is safe and avoids threading the time through every CEL call.
let currentNow: Date | undefined = new Date(0);
let nowWasNeeded = false;

/** `undefined` means "no time given": time functions then return the epoch and are flagged. */
export function setEvaluationTime(now: Date | undefined): void {
  currentNow = now;
  nowWasNeeded = false;
}

export function evaluationTime(): Date {
  if (currentNow === undefined) {
    nowWasNeeded = true;
    return new Date(0);
  }
  return currentNow;
}

/** True when a time function ran while no evaluation time was set (policy test suites report it). */
export function timeWasNeeded(): boolean {
  return nowWasNeeded;
}
