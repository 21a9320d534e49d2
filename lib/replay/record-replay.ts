// Replays one stored decision record: against the version in force when it was made (resolved from the
// record, see lib/policies), against any stored version, or against an uploaded draft that is compiled
// for this call only and never stored.
import type pg from "pg";
import { compileCerbosPolicies, type CerbosPolicySet } from "../engine/cerbos/index.ts";
import type { CompileError } from "../engine/types.ts";
import { compiledVersion, findVersion, getVersion, toCerbosSources } from "../policies/index.ts";
import { resolveVersionForRecord } from "../policies/resolve.ts";
import type { PolicyFile, PolicyVersion, ResolvedBy } from "../policies/types.ts";
import { replayEntry, type EntryReplay } from "./replay-entry.ts";

export type ReplayTarget = { kind: "resolved" } | { kind: "version"; ref: string } | { kind: "draft"; files: PolicyFile[] };

export interface RecordReplay extends EntryReplay {
  recordId: string;
  callId: string | null;
  target:
    | { kind: "version"; version: PolicyVersion; ref?: string; resolvedBy?: ResolvedBy; inferred?: boolean }
    | { kind: "draft"; fileCount: number };
}

export class ReplayError extends Error {
  constructor(
    message: string,
    /** HTTP-ish status for route handlers: 404 not found, 422 cannot replay, 400 bad draft. */
    readonly status: number,
    readonly compileErrors?: CompileError[],
  ) {
    super(message);
  }
}

export async function replayRecord(pool: pg.Pool, recordId: string, target: ReplayTarget, opts: { explain?: boolean } = {}): Promise<RecordReplay> {
  if (!/^\d{1,18}$/.test(recordId)) throw new ReplayError(`record id "${recordId}" is not a number`, 400);
  const { rows } = await pool.query<{ engine: string; kind: string; parsed: Record<string, unknown>; decided_at: Date; record_key: string }>(
    `SELECT engine, kind, parsed, decided_at, record_key FROM records WHERE id = $1`,
    [recordId],
  );
  const rec = rows[0];
  if (!rec) throw new ReplayError(`record ${recordId} does not exist`, 404);
  if (rec.engine !== "cerbos") throw new ReplayError(`record ${recordId} is an ${rec.engine.toUpperCase()} decision; replaying OPA decisions needs the Rego engine, which is not built yet`, 422);
  if (rec.kind !== "decision") throw new ReplayError(`record ${recordId} is a Cerbos access entry, not a decision`, 422);

  let policySet: CerbosPolicySet;
  let resolvedTarget: RecordReplay["target"];
  if (target.kind === "draft") {
    const compiled = compileCerbosPolicies(toCerbosSources(target.files));
    if (!compiled.ok) throw new ReplayError(`the draft policies do not compile (${compiled.errors.length} errors)`, 400, compiled.errors);
    policySet = compiled.policySet!;
    resolvedTarget = { kind: "draft", fileCount: target.files.length };
  } else {
    let version: PolicyVersion | null;
    let extra: { ref?: string; resolvedBy?: ResolvedBy; inferred?: boolean } = {};
    if (target.kind === "resolved") {
      const resolved = await resolveVersionForRecord(pool, rec.parsed, rec.decided_at);
      if (!resolved) throw new ReplayError("no stored policy version matches this record (import the policy history: hindsight policies import <repo>)", 422);
      version = resolved.version;
      extra = { ref: resolved.ref, resolvedBy: resolved.resolvedBy, inferred: resolved.inferred };
    } else {
      version = /^\d+$/.test(target.ref) ? await getVersion(pool, target.ref) : await findVersion(pool, target.ref);
      if (!version) throw new ReplayError(`no policy version "${target.ref}"`, 404);
    }
    if (!version) throw new ReplayError("no policy version to replay against", 404);
    if (version.compileErrors) throw new ReplayError(`policy version ${version.label} does not compile (${version.compileErrors.length} errors)`, 422, version.compileErrors);
    policySet = await compiledVersion(pool, version.id);
    resolvedTarget = { kind: "version", version, ...extra };
  }
  const replay = replayEntry(policySet, rec.parsed, rec.decided_at, { explain: opts.explain ?? true });
  if (!replay) throw new ReplayError(`record ${recordId} is not a CheckResources decision (PlanResources decisions are not replayed)`, 422);
  return { ...replay, recordId, callId: rec.record_key, target: resolvedTarget };
}
