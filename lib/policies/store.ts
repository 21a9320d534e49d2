// Writes immutable policy versions: content-addressed blobs, one version per distinct snapshot
// (keyed by content hash), and one commit row per (source, ref) that produced it. All four
// tables are append-only (database triggers), so every write is an insert that tolerates an
// existing row: importing the same history twice creates nothing new.
import { compileOpaBundle } from "./opa-bundle.ts";
import type pg from "pg";
import { compileCerbosPolicies } from "../engine/cerbos/index.ts";
import type { CompileError } from "../engine/types.ts";
import { contentHashOf, sha256Hex, sortFiles, toCerbosSources } from "./snapshot.ts";
import type { ImportedVersion, PolicyCommit, PolicyFile, PolicyVersion } from "./types.ts";

export interface StoreVersionInput {
  engine: "cerbos" | "opa";
  source: string;
  label: string;
  files: PolicyFile[];
  /** Full commit hash, bundle revision, or "import:<ISO time>". */
  ref: string;
  committedAt: Date;
  author?: string | null;
  message?: string | null;
}

export interface VersionRow {
  id: string;
  content_hash: string;
  engine: string;
  source: string;
  label: string;
  file_count: number;
  compile_errors: CompileError[] | null;
  created_at: Date;
}

export const VERSION_COLUMNS = "id::text AS id, content_hash, engine, source, label, file_count, compile_errors, created_at";

/** A version row as one json column (for joins with commits); `created_at` then arrives as a string. */
export function versionJson(alias: string): string {
  return `json_build_object('id', ${alias}.id::text, 'content_hash', ${alias}.content_hash, 'engine', ${alias}.engine, 'source', ${alias}.source,
    'label', ${alias}.label, 'file_count', ${alias}.file_count, 'compile_errors', ${alias}.compile_errors, 'created_at', ${alias}.created_at)`;
}

export function versionFromJson(v: VersionRow): PolicyVersion {
  return toPolicyVersion({ ...v, created_at: new Date(v.created_at) });
}

export function toPolicyVersion(row: VersionRow): PolicyVersion {
  return {
    id: row.id,
    contentHash: row.content_hash,
    engine: row.engine as PolicyVersion["engine"],
    source: row.source,
    label: row.label,
    fileCount: row.file_count,
    compileErrors: row.compile_errors,
    createdAt: row.created_at,
  };
}

export interface CommitRow {
  source: string;
  ref: string;
  version_id: string;
  committed_at: Date;
  author: string | null;
  message: string | null;
}

export const COMMIT_COLUMNS = "source, ref, version_id::text AS version_id, committed_at, author, message";

export function toPolicyCommit(row: CommitRow): PolicyCommit {
  return { source: row.source, ref: row.ref, versionId: row.version_id, committedAt: row.committed_at, author: row.author, message: row.message };
}

/** Compiles a snapshot and returns its errors, or null when it compiles. Never throws: an engine crash is an error too. */
export function compileErrorsOf(engine: "cerbos" | "opa", files: PolicyFile[]): CompileError[] | null {
  try {
    if (engine === "opa") {
      const outcome = compileOpaBundle(files);
      return outcome.ok ? null : outcome.errors;
    }
    const outcome = compileCerbosPolicies(toCerbosSources(files));
    return outcome.ok ? null : outcome.errors;
  } catch (err) {
    return [{ file: "", message: `compiler failed: ${(err as Error).message}` }];
  }
}

async function findVersionByHash(db: pg.ClientBase | pg.Pool, contentHash: string): Promise<PolicyVersion | null> {
  const { rows } = await db.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM policy_versions WHERE content_hash = $1`, [contentHash]);
  return rows[0] ? toPolicyVersion(rows[0]) : null;
}

function assertStorable(files: PolicyFile[]): void {
  for (const f of files) {
    // Postgres text cannot hold NUL; a policy file with one is not text we can keep faithfully.
    if (f.content.includes("\0")) throw new Error(`policy file ${f.path} contains a NUL byte: not a text policy file`);
  }
}

/**
 * Stores one snapshot and the commit that produced it. A snapshot that does not compile is stored
 * with its compile errors, never rejected (its history still matters for forensics). Compiles only
 * when the snapshot is new.
 */
export async function storeVersion(pool: pg.Pool, input: StoreVersionInput): Promise<ImportedVersion> {
  const files = sortFiles(input.files);
  assertStorable(files);
  const contentHash = contentHashOf(files);
  let existing = await findVersionByHash(pool, contentHash);
  const compileErrors = existing ? null : compileErrorsOf(input.engine, files);

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    let created = false;
    if (!existing) {
      const hashes = files.map((f) => sha256Hex(f.content));
      await client.query(
        `INSERT INTO policy_blobs (sha256, content) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (sha256) DO NOTHING`,
        [hashes, files.map((f) => f.content)],
      );
      const inserted = await client.query<VersionRow>(
        `INSERT INTO policy_versions (content_hash, engine, source, label, file_count, compile_errors)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)
         ON CONFLICT (content_hash) DO NOTHING RETURNING ${VERSION_COLUMNS}`,
        [contentHash, input.engine, input.source, input.label, files.length, compileErrors ? JSON.stringify(compileErrors) : null],
      );
      if (inserted.rows[0]) {
        created = true;
        existing = toPolicyVersion(inserted.rows[0]);
        await client.query(
          `INSERT INTO policy_version_files (version_id, path, blob_sha256) SELECT $1::bigint, * FROM unnest($2::text[], $3::text[])`,
          [existing.id, files.map((f) => f.path), hashes],
        );
      } else {
        // Another import stored the same snapshot between our lookup and our insert.
        existing = await findVersionByHash(client, contentHash);
        if (!existing) throw new Error(`policy version ${contentHash} vanished during import`);
      }
    }
    const version = existing;
    await client.query(
      `INSERT INTO policy_commits (source, ref, version_id, committed_at, author, message)
       VALUES ($1, $2, $3::bigint, $4, $5, $6) ON CONFLICT (source, ref) DO NOTHING`,
      [input.source, input.ref, version.id, input.committedAt, input.author ?? null, input.message ?? null],
    );
    const commit = await client.query<CommitRow>(`SELECT ${COMMIT_COLUMNS} FROM policy_commits WHERE source = $1 AND ref = $2`, [input.source, input.ref]);
    await client.query("COMMIT");
    return { version, commit: toPolicyCommit(commit.rows[0]!), created };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Records commits that did not change the policy files: each points at the version already in force
 * (its first parent's), so a decision naming such a commit (a PDP reports its branch head, whatever
 * the head touched) resolves exactly. Existing rows are kept. Returns how many were new.
 */
export async function storeCommitAliases(pool: pg.Pool, commits: readonly PolicyCommit[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < commits.length; i += 1000) {
    const batch = commits.slice(i, i + 1000);
    const { rowCount } = await pool.query(
      `INSERT INTO policy_commits (source, ref, version_id, committed_at, author, message)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[])
       ON CONFLICT (source, ref) DO NOTHING`,
      [batch.map((c) => c.source), batch.map((c) => c.ref), batch.map((c) => c.versionId), batch.map((c) => c.committedAt), batch.map((c) => c.author), batch.map((c) => c.message)],
    );
    added += rowCount ?? 0;
  }
  return added;
}
