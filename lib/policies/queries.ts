// Read side of the policy version store: versions, their files, the commits that produced them,
// and lookup by any reference a person or a record might use.
import type pg from "pg";
import { COMMIT_COLUMNS, type CommitRow, toPolicyCommit, toPolicyVersion, VERSION_COLUMNS, versionFromJson, versionJson, type VersionRow } from "./store.ts";
import type { ImportedVersion, PolicyCommit, PolicyFile, PolicyVersion } from "./types.ts";

const MIN_PREFIX = 7;

/** All versions, newest first. */
export async function listVersions(pool: pg.Pool): Promise<PolicyVersion[]> {
  const { rows } = await pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM policy_versions ORDER BY policy_versions.id DESC`);
  return rows.map(toPolicyVersion);
}

function isVersionId(id: string): boolean {
  return /^[0-9]{1,18}$/.test(id);
}

export async function getVersion(pool: pg.Pool, id: string): Promise<PolicyVersion | null> {
  if (!isVersionId(id)) return null;
  const { rows } = await pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM policy_versions WHERE id = $1::bigint`, [id]);
  return rows[0] ? toPolicyVersion(rows[0]) : null;
}

/** The files of a version, sorted by path. Empty for an unknown id. */
export async function getVersionFiles(pool: pg.Pool, id: string): Promise<PolicyFile[]> {
  if (!isVersionId(id)) return [];
  const { rows } = await pool.query<{ path: string; content: string }>(
    `SELECT f.path, b.content FROM policy_version_files f JOIN policy_blobs b ON b.sha256 = f.blob_sha256
      WHERE f.version_id = $1::bigint ORDER BY f.path COLLATE "C"`,
    [id],
  );
  return rows;
}

/** Commits (of any source) that produced a version, oldest first. */
export async function commitsOf(pool: pg.Pool, versionId: string): Promise<PolicyCommit[]> {
  if (!isVersionId(versionId)) return [];
  const { rows } = await pool.query<CommitRow>(
    `SELECT ${COMMIT_COLUMNS} FROM policy_commits WHERE version_id = $1::bigint ORDER BY committed_at, source, ref`,
    [versionId],
  );
  return rows.map(toPolicyCommit);
}

export class AmbiguousPolicyRefError extends Error {
  constructor(ref: string, candidates: string[]) {
    super(`"${ref}" matches several policy versions (${candidates.join(", ")}); give more characters`);
    this.name = "AmbiguousPolicyRefError";
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function versionsWhere(pool: pg.Pool, where: string, params: unknown[]): Promise<PolicyVersion[]> {
  const { rows } = await pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM policy_versions WHERE ${where} ORDER BY policy_versions.id LIMIT 10`, params);
  return rows.map(toPolicyVersion);
}

function single(ref: string, found: PolicyVersion[]): PolicyVersion | null {
  if (found.length > 1) throw new AmbiguousPolicyRefError(ref, found.map((v) => `${v.id} ${v.label}`));
  return found[0] ?? null;
}

/**
 * Finds a version by id, content hash (or a prefix of ≥ 7 hex digits), commit/revision ref (or a
 * prefix of ≥ 7), or label, in that order. Throws AmbiguousPolicyRefError when a prefix or label
 * names several versions.
 */
export async function findVersion(pool: pg.Pool, ref: string): Promise<PolicyVersion | null> {
  const r = ref.trim();
  if (!r) return null;
  if (isVersionId(r)) {
    const byId = await getVersion(pool, r);
    if (byId) return byId;
  }
  const hex = r.toLowerCase();
  if (/^[0-9a-f]+$/.test(hex) && hex.length >= MIN_PREFIX) {
    const byHash = single(r, await versionsWhere(pool, "content_hash LIKE $1", [`${hex}%`]));
    if (byHash) return byHash;
  }
  const exactRef = await versionsWhere(pool, "id IN (SELECT version_id FROM policy_commits WHERE ref = $1)", [r]);
  if (exactRef.length > 0) return single(r, exactRef);
  if (r.length >= MIN_PREFIX) {
    const byRef = single(r, await versionsWhere(pool, "id IN (SELECT version_id FROM policy_commits WHERE ref LIKE $1)", [`${escapeLike(r)}%`]));
    if (byRef) return byRef;
  }
  return single(r, await versionsWhere(pool, "label = $1", [r]));
}

/** The newest commit of a source (by commit time), or null. */
export async function latestCommitOf(pool: pg.Pool, source: string): Promise<PolicyCommit | null> {
  const { rows } = await pool.query<CommitRow>(
    `SELECT ${COMMIT_COLUMNS} FROM policy_commits WHERE source = $1 ORDER BY committed_at DESC, ref DESC LIMIT 1`,
    [source],
  );
  return rows[0] ? toPolicyCommit(rows[0]) : null;
}

/** The commits already imported for a source with their versions, keyed by ref (for cheap re-imports). */
export async function importedCommitsOf(pool: pg.Pool, source: string): Promise<Map<string, ImportedVersion>> {
  const { rows } = await pool.query<CommitRow & { v: VersionRow }>(
    `SELECT c.source, c.ref, c.version_id::text AS version_id, c.committed_at, c.author, c.message,
            ${versionJson("v")} AS v
       FROM policy_commits c JOIN policy_versions v ON v.id = c.version_id WHERE c.source = $1`,
    [source],
  );
  return new Map(rows.map((row) => [row.ref, { version: versionFromJson(row.v), commit: toPolicyCommit(row), created: false }]));
}

/** Names of all sources with their newest commit time, for listings and source matching. */
export async function listSources(pool: pg.Pool): Promise<{ source: string; commits: number; latest: Date }[]> {
  const { rows } = await pool.query<{ source: string; commits: number; latest: Date }>(
    `SELECT source, count(*)::int AS commits, max(committed_at) AS latest FROM policy_commits GROUP BY source ORDER BY source`,
  );
  return rows;
}
