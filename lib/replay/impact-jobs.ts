// Starts impact runs in the background of the current process (the web server), one at a time per run.
// Progress lives in impact_runs, so any process can watch or cancel; a run whose process died stays
// 'running' with no progress — listImpactRuns shows it, and it can be started again.
import type pg from "pg";
import type { ExplorerFilters } from "../explorer/query-params.ts";
import { compiledVersion } from "../policies/index.ts";
import { createImpactRun, executeImpactRun } from "./impact.ts";
import { ReplayError, versionByRef } from "./record-replay.ts";

const running = new Map<string, Promise<unknown>>();

export async function resolveCandidate(pool: pg.Pool, ref: string) {
  const version = await versionByRef(pool, ref);
  if (!version) throw new ReplayError(`no policy version "${ref}" (list them with: hindsight policies list)`, 404);
  if (version.engine !== "cerbos") throw new ReplayError(`version ${version.label} is an ${version.engine} policy set; impact analysis replays Cerbos decisions`, 422);
  if (version.compileErrors) throw new ReplayError(`version ${version.label} does not compile (${version.compileErrors.length} errors)`, 422, version.compileErrors);
  return version;
}

/** Creates a run and starts it without waiting; returns its id. */
export async function startImpactRun(pool: pg.Pool, candidateRef: string, filters: ExplorerFilters, requestedBy: string | null): Promise<string> {
  const version = await resolveCandidate(pool, candidateRef);
  const policySet = await compiledVersion(pool, version.id);
  const runId = await createImpactRun(pool, version.id, filters, requestedBy);
  const job = executeImpactRun(pool, runId, policySet)
    .catch((err) => console.error(`impact run ${runId} failed:`, err))
    .finally(() => running.delete(runId));
  running.set(runId, job);
  return runId;
}

export function isRunningHere(runId: string): boolean {
  return running.has(runId);
}
