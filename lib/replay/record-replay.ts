// Replays one stored decision record: against the version in force when it was made (resolved from the
// record, see lib/policies), against any stored version, or against an uploaded draft that is compiled
// for this call only and never stored.
import type pg from "pg";
import { compileCerbosPolicies, type CerbosPolicySet } from "../engine/cerbos/index.ts";
import type { CompileError } from "../engine/types.ts";
import { compiledOpaVersion, compiledVersion, compileOpaBundle, findVersion, getVersion, toCerbosSources, type RegoPolicySet } from "../policies/index.ts";
import { replayOpaEntry, type OpaReplay } from "./opa-replay.ts";
import { resolveVersionForRecord } from "../policies/resolve.ts";
import type { PolicyFile, PolicyVersion, ResolvedBy } from "../policies/types.ts";
import { replayEntry, type EntryReplay } from "./replay-entry.ts";

export type ReplayTarget = { kind: "resolved" } | { kind: "version"; ref: string } | { kind: "draft"; files: PolicyFile[] };

export interface RecordReplay extends EntryReplay {
  engine: "cerbos" | "opa";
  /** OPA records: the decision path's result, logged vs replayed (Cerbos records use `inputs`). */
  opa?: OpaReplay;
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

/** A stored version by its id (all digits), else by findVersion's hash / commit / label lookup. */
export async function versionByRef(pool: pg.Pool, ref: string): Promise<PolicyVersion | null> {
  return /^\d+$/.test(ref) ? getVersion(pool, ref) : findVersion(pool, ref);
}

const ENGINE_WORDING = {
  cerbos: {
    noMatch: "no stored policy version matches this record (import the policy history: hindsight policies import <repo>)",
    thing: "policy version",
    record: "a Cerbos decision",
  },
  opa: {
    noMatch: "no stored OPA bundle matches this record's bundle revisions (import the bundle: hindsight policies import <bundle.tar.gz>)",
    thing: "bundle",
    record: "an OPA decision",
  },
} as const;

/** The stored version a replay runs against: resolved from the record, or named; of the record's engine and compiling. */
async function targetVersion(
  pool: pg.Pool,
  rec: { parsed: Record<string, unknown>; decided_at: Date },
  target: Exclude<ReplayTarget, { kind: "draft" }>,
  engine: "cerbos" | "opa",
): Promise<{ version: PolicyVersion; extra: { ref?: string; resolvedBy?: ResolvedBy; inferred?: boolean } }> {
  const words = ENGINE_WORDING[engine];
  let version: PolicyVersion | null;
  let extra: { ref?: string; resolvedBy?: ResolvedBy; inferred?: boolean } = {};
  if (target.kind === "resolved") {
    const resolved = await resolveVersionForRecord(pool, rec.parsed, rec.decided_at, { engine });
    if (!resolved) throw new ReplayError(words.noMatch, 422);
    version = resolved.version;
    extra = { ref: resolved.ref, resolvedBy: resolved.resolvedBy, inferred: resolved.inferred };
  } else {
    version = await versionByRef(pool, target.ref);
    if (!version) throw new ReplayError(`no policy version "${target.ref}"`, 404);
  }
  if (version.engine !== engine) throw new ReplayError(`version ${version.label} is a ${version.engine} policy set; this record is ${words.record}`, 422);
  if (version.compileErrors) throw new ReplayError(`${words.thing} ${version.label} does not compile (${version.compileErrors.length} errors)`, 422, version.compileErrors);
  return { version, extra };
}

export async function replayRecord(pool: pg.Pool, recordId: string, target: ReplayTarget, opts: { explain?: boolean } = {}): Promise<RecordReplay> {
  if (!/^\d{1,18}$/.test(recordId)) throw new ReplayError(`record id "${recordId}" is not a number`, 400);
  const { rows } = await pool.query<{ engine: string; kind: string; parsed: Record<string, unknown>; decided_at: Date; record_key: string }>(
    `SELECT engine, kind, parsed, decided_at, record_key FROM records WHERE id = $1`,
    [recordId],
  );
  const rec = rows[0];
  if (!rec) throw new ReplayError(`record ${recordId} does not exist`, 404);
  if (rec.engine === "opa") return replayOpaRecord(pool, recordId, rec, target);
  if (rec.kind !== "decision") throw new ReplayError(`record ${recordId} is a Cerbos access entry, not a decision`, 422);

  let policySet: CerbosPolicySet;
  let resolvedTarget: RecordReplay["target"];
  if (target.kind === "draft") {
    const compiled = compileCerbosPolicies(toCerbosSources(target.files));
    if (!compiled.ok) throw new ReplayError(`the draft policies do not compile (${compiled.errors.length} errors)`, 400, compiled.errors);
    policySet = compiled.policySet!;
    resolvedTarget = { kind: "draft", fileCount: target.files.length };
  } else {
    const { version, extra } = await targetVersion(pool, rec, target, "cerbos");
    policySet = await compiledVersion(pool, version.id);
    resolvedTarget = { kind: "version", version, ...extra };
  }
  const replay = replayEntry(policySet, rec.parsed, rec.decided_at, { explain: opts.explain ?? true });
  if (!replay) throw new ReplayError(`record ${recordId} is not a CheckResources decision (PlanResources decisions are not replayed)`, 422);
  return { ...replay, engine: "cerbos", recordId, callId: rec.record_key, target: resolvedTarget };
}

async function replayOpaRecord(
  pool: pg.Pool,
  recordId: string,
  rec: { parsed: Record<string, unknown>; decided_at: Date; record_key: string },
  target: ReplayTarget,
): Promise<RecordReplay> {
  let policySet: RegoPolicySet;
  let resolvedTarget: RecordReplay["target"];
  if (target.kind === "draft") {
    const compiled = compileOpaBundle(target.files);
    if (!compiled.ok) throw new ReplayError(`the draft bundle does not compile (${compiled.errors.length} errors)`, 400, compiled.errors);
    policySet = compiled.policySet;
    resolvedTarget = { kind: "draft", fileCount: target.files.length };
  } else {
    const { version, extra } = await targetVersion(pool, rec, target, "opa");
    policySet = await compiledOpaVersion(pool, version.id);
    resolvedTarget = { kind: "version", version, ...extra };
  }
  const opa = replayOpaEntry(policySet, rec.parsed, rec.decided_at);
  if (!opa) throw new ReplayError(`record ${recordId} is an ad-hoc OPA query (no decision path), which is not replayed`, 422);
  return { engine: "opa", status: opa.status, now: opa.now, inputs: [], opa, recordId, callId: rec.record_key, target: resolvedTarget };
}
