// Which stored policy version was in force for a decision record (see resolution-ladder.ts for
// the order). A record that names its store (policySource.git repositoryUrl + subdirectory, or a
// disk directory) is resolved within the matching source when one was imported; otherwise any
// source may answer.
import type pg from "pg";
import { policyRefsOf, sourceMatchesRecord } from "./record-refs.ts";
import { climbResolutionLadder } from "./resolution-ladder.ts";
import { versionFromJson, versionJson, type VersionRow } from "./store.ts";
import type { PolicyVersion, ResolvedVersion } from "./types.ts";

export interface ResolveOptions {
  /** Only this source may answer (e.g. the repository an impact run is about). */
  source?: string;
  /** Engine of the versions to consider; by default OPA for records with `bundles`, else Cerbos. */
  engine?: "cerbos" | "opa";
}

interface Hit {
  version: PolicyVersion;
  ref: string;
  source: string;
  committedAt: Date;
}

type Row = { ref: string; version_id: string; source: string; committed_at: Date; v: VersionRow };

const SELECT_HIT = `SELECT c.ref, c.version_id::text AS version_id, c.source, c.committed_at, ${versionJson("v")} AS v
  FROM policy_commits c JOIN policy_versions v ON v.id = c.version_id`;

function toHit(row: Row | undefined): Hit | undefined {
  return row ? { version: versionFromJson(row.v), ref: row.ref, source: row.source, committedAt: row.committed_at } : undefined;
}

/** The newest commit of the source before `hit` whose version compiles (see ResolvedVersion.lastCompiling). */
async function lastCompilingBefore(pool: pg.Pool, hit: Hit): Promise<Hit | undefined> {
  const { rows } = await pool.query<Row>(
    `${SELECT_HIT} WHERE c.source = $1 AND c.committed_at <= $2 AND c.ref <> $3 AND v.engine = $4 AND v.compile_errors IS NULL
      ORDER BY c.committed_at DESC, c.ref DESC LIMIT 1`,
    [hit.source, hit.committedAt, hit.ref, hit.version.engine],
  );
  return toHit(rows[0]);
}

const FULL_HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

export async function resolveVersionForRecord(pool: pg.Pool, entry: Record<string, unknown>, decidedAt: Date, opts: ResolveOptions = {}): Promise<ResolvedVersion | null> {
  const refs = policyRefsOf(entry);
  const engine = opts.engine ?? (refs.bundleRevisions.length > 0 || (entry.bundles !== undefined && entry.decision_id !== undefined) ? "opa" : "cerbos");
  let preferred: string[];
  if (opts.source) preferred = [opts.source];
  else {
    const { rows } = await pool.query<{ source: string }>("SELECT DISTINCT source FROM policy_commits");
    preferred = rows.map((r) => r.source).filter((s) => sourceMatchesRecord(s, refs));
  }
  const restrict = opts.source !== undefined;

  const result = await climbResolutionLadder<Hit>(refs, decidedAt, {
    async byRef(ref, _kind, bundle) {
      // Full hashes match exactly; abbreviated ones (some tools log 7–12 hex digits) by prefix.
      const exact = FULL_HASH.test(ref) || !/^[0-9a-f]{7,}$/i.test(ref);
      const sources = bundle && !restrict ? [...preferred, bundle] : preferred;
      const { rows } = await pool.query<Row>(
        `${SELECT_HIT} WHERE ${exact ? "c.ref = $1" : "c.ref LIKE $1"} AND v.engine = $2 ${restrict ? "AND c.source = ANY($3::text[])" : ""}
          ORDER BY (c.source = ANY($3::text[])) DESC, c.source LIMIT 2`,
        [exact ? ref : `${ref.toLowerCase()}%`, engine, sources],
      );
      // An abbreviated hash that names two different versions identifies neither.
      if (!exact && rows.length > 1 && rows[0]!.version_id !== rows[1]!.version_id) return undefined;
      return toHit(rows[0]);
    },
    async byTime(at) {
      const scoped = preferred.length > 0;
      const { rows } = await pool.query<Row>(
        `${SELECT_HIT} WHERE c.committed_at <= $1 AND v.engine = $2 ${scoped ? "AND c.source = ANY($3::text[])" : ""}
          ORDER BY c.committed_at DESC, c.ref DESC LIMIT 1`,
        scoped ? [at, engine, preferred] : [at, engine],
      );
      return toHit(rows[0]);
    },
  });
  if (!result) return null;
  const resolved: ResolvedVersion = { version: result.value.version, ref: result.value.ref, resolvedBy: result.resolvedBy, inferred: result.inferred };
  if (resolved.version.compileErrors) {
    const fallback = await lastCompilingBefore(pool, result.value);
    if (fallback) resolved.lastCompiling = { version: fallback.version, ref: fallback.ref };
  }
  return resolved;
}
