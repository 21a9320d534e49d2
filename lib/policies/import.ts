// Importers: a policy directory or an archive becomes one version; a git repository (or bundle)
// becomes one version per commit that changes policy files. All are idempotent.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type pg from "pg";
import { readArchive } from "./archive.ts";
import {
  defaultGitSourceName,
  GitBlobReader,
  isGitBundleFile,
  isGitRepositoryPath,
  normalizeSubdir,
  openGitRepository,
  readGitHistory,
  readPolicySnapshot,
  shortHash,
} from "./git.ts";
import { importedCommitsOf, latestCommitOf } from "./queries.ts";
import { contentHashOf, isCerbosSnapshotPath, looksLikeOpaBundle, stripCommonTopFolder } from "./snapshot.ts";
import { bundleRevisionOf, isOpaBundlePath } from "./opa-bundle.ts";
import { storeCommitAliases, storeVersion } from "./store.ts";
import type { ImportedVersion, PolicyCommit, PolicyFile } from "./types.ts";

export interface ImportOptions {
  /** Source name the versions are filed under; defaults to the absolute path (git: the origin URL). */
  source?: string;
}

export interface GitImportOptions extends ImportOptions {
  /** Policy root inside the repository (Cerbos `storage.git.subDir`). */
  subdir?: string;
}

/** Every file path under a directory (relative, forward slashes), not descending into hidden folders. */
function listDirectory(root: string): string[] {
  const paths: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".") && name !== ".manifest") continue;
      const abs = join(dir, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs, `${prefix}${name}/`);
      else if (st.isFile()) paths.push(`${prefix}${name}`);
    }
  };
  walk(root, "");
  return paths;
}

/**
 * Stores a one-off snapshot (directory or archive) under `import:<time>` — unless the source's newest
 * commit already has exactly this content, so re-importing an unchanged directory creates nothing.
 */
async function storeSnapshotImport(
  pool: pg.Pool,
  source: string,
  label: string,
  files: PolicyFile[],
  message: string,
  engine: "cerbos" | "opa" = "cerbos",
  ref?: string,
): Promise<ImportedVersion> {
  const latest = await latestCommitOf(pool, source);
  if (latest) {
    const { rows } = await pool.query<{ content_hash: string }>("SELECT content_hash FROM policy_versions WHERE id = $1::bigint", [latest.versionId]);
    if (rows[0]?.content_hash === contentHashOf(files)) {
      const imported = await storeVersion(pool, { engine, source, label, files, ref: latest.ref, committedAt: latest.committedAt });
      return { ...imported, created: false };
    }
  }
  const now = new Date();
  return storeVersion(pool, { engine, source, label, files, ref: ref ?? `import:${now.toISOString()}`, committedAt: now, author: null, message });
}

/**
 * An OPA bundle becomes an "opa" version labelled and referenced by its .manifest revision (what decision
 * records name in bundles[*].revision); without a revision it is an ordinary one-off import.
 */
async function storeOpaBundle(pool: pg.Pool, files: PolicyFile[], source: string, fallbackLabel: string, message: string): Promise<ImportedVersion> {
  const revision = bundleRevisionOf(files);
  return storeSnapshotImport(pool, source, revision ?? fallbackLabel, files, message, "opa", revision ?? undefined);
}

/** Imports a Cerbos policy directory (disk-store layout) or an OPA bundle directory as one version. */
export async function importDirectory(pool: pg.Pool, dir: string, opts: ImportOptions = {}): Promise<ImportedVersion> {
  const root = resolve(dir);
  const paths = listDirectory(root);
  if (looksLikeOpaBundle(paths)) {
    const files = paths.filter(isOpaBundlePath).map((path) => ({ path, content: readFileSync(join(root, path), "utf8") }));
    return storeOpaBundle(pool, files, opts.source ?? root, basename(root), `OPA bundle directory import of ${root}`);
  }
  const files = paths.filter(isCerbosSnapshotPath).map((path) => ({ path, content: readFileSync(join(root, path), "utf8") }));
  return storeSnapshotImport(pool, opts.source ?? root, basename(root), files, `directory import of ${root}`);
}

/** Imports a zip, tar or tar.gz of a Cerbos policy directory as one version; one common top folder is stripped. */
export async function importArchive(pool: pg.Pool, file: string, opts: ImportOptions = {}): Promise<ImportedVersion> {
  const abs = resolve(file);
  const entries = stripCommonTopFolder(readArchive(readFileSync(abs), file));
  const decoder = new TextDecoder("utf-8");
  if (looksLikeOpaBundle(entries.map((e) => e.path))) {
    const files = entries.filter((e) => isOpaBundlePath(e.path)).map((e) => ({ path: e.path, content: decoder.decode(e.bytes) }));
    return storeOpaBundle(pool, files, opts.source ?? abs, basename(abs).replace(/\.(zip|tar\.gz|tgz|tar)$/i, ""), `OPA bundle import of ${abs}`);
  }
  const files = entries.filter((e) => isCerbosSnapshotPath(e.path)).map((e) => ({ path: e.path, content: decoder.decode(e.bytes) }));
  const label = basename(abs).replace(/\.(zip|tar\.gz|tgz|tar)$/i, "");
  return storeSnapshotImport(pool, opts.source ?? abs, label, files, `archive import of ${abs}`);
}

/**
 * Imports the history of a git repository or bundle: each commit reachable from HEAD that changes
 * policy files under `subdir` becomes a version (returned, oldest first). Commits that change no
 * policy file are recorded too, pointing at the version in force, so records naming them resolve.
 */
export async function importGitRepository(pool: pg.Pool, pathOrBundle: string, opts: GitImportOptions = {}): Promise<ImportedVersion[]> {
  const repo = await openGitRepository(pathOrBundle);
  try {
    const subdir = normalizeSubdir(opts.subdir);
    const source = opts.source ?? (await defaultGitSourceName(repo, subdir));
    const commits = await readGitHistory(repo, subdir);
    const known = await importedCommitsOf(pool, source);
    const blobs = new GitBlobReader(repo);
    const versionAt = new Map<string, string>();
    const results: ImportedVersion[] = [];
    const aliases: PolicyCommit[] = [];
    for (const c of commits) {
      if (c.changesPolicies) {
        let imported = known.get(c.hash);
        if (!imported) {
          const files = await readPolicySnapshot(repo, blobs, c.hash, subdir);
          imported = await storeVersion(pool, {
            engine: "cerbos",
            source,
            label: shortHash(c.hash),
            files,
            ref: c.hash,
            committedAt: c.committedAt,
            author: c.author,
            message: c.message,
          });
        }
        versionAt.set(c.hash, imported.version.id);
        results.push(imported);
        continue;
      }
      const inForce = c.parents[0] === undefined ? undefined : versionAt.get(c.parents[0]);
      if (inForce === undefined) continue; // no policy files yet
      versionAt.set(c.hash, inForce);
      if (!known.has(c.hash)) aliases.push({ source, ref: c.hash, versionId: inForce, committedAt: c.committedAt, author: c.author, message: c.message });
    }
    await storeCommitAliases(pool, aliases);
    return results;
  } finally {
    repo.close();
  }
}

export type ImportTargetKind = "git" | "directory" | "archive";

/** What a path is: a git repository root or bundle file, a plain directory, or an archive file. */
export function importTargetKind(path: string): ImportTargetKind {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`${path}: no such file or directory`);
  }
  if (st.isDirectory()) return isGitRepositoryPath(path) ? "git" : "directory";
  return isGitBundleFile(path) ? "git" : "archive";
}

/** Imports whatever the path is; always returns the list of versions (one for a directory or archive). */
export async function importPolicies(pool: pg.Pool, path: string, opts: GitImportOptions = {}): Promise<ImportedVersion[]> {
  const kind = importTargetKind(path);
  if (kind === "git") return importGitRepository(pool, path, opts);
  if (opts.subdir) throw new Error("--subdir applies to git repositories only");
  return [kind === "directory" ? await importDirectory(pool, path, opts) : await importArchive(pool, path, opts)];
}
