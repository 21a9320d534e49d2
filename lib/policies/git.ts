// Reads policy history from a git repository or a `git bundle` file with the git CLI: the commit
// list (oldest first) with which commits change policy files, and the policy snapshot at any
// commit. Used by the database importer and by `hindsight replay --git`.
// Local only: no shell, no system/global config, no prompts, only the file transport.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { isCerbosSnapshotPath } from "./snapshot.ts";
import type { PolicyFile } from "./types.ts";

export interface GitCommit {
  hash: string;
  parents: string[];
  /** "Name <email>" of the author. */
  author: string;
  /** Committer time: when the commit landed on the branch the PDP follows. */
  committedAt: Date;
  message: string;
  /** True when the commit changes a policy file under the subdirectory (compared with its first parent). */
  changesPolicies: boolean;
}

export interface GitRepository {
  /** Directory git runs in (a work tree or a bare repository). */
  dir: string;
  /** What the caller named: the repository path or the bundle file. */
  origin: string;
  isBundle: boolean;
  /** Removes the temporary clone of a bundle; a no-op for a repository. */
  close(): void;
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // An inherited GIT_DIR (e.g. when run from a hook) would point every command at another repository.
  for (const k of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE"]) delete env[k];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: "file",
    LC_ALL: "C",
  };
}

const GIT_CONFIG_ARGS = ["-c", "safe.directory=*", "-c", "core.quotePath=false", "-c", "core.fsmonitor=false"];

/** Runs git and returns stdout as bytes; rejects with git's stderr on a non-zero exit. */
export function runGit(cwd: string, args: string[], stdin?: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", [...GIT_CONFIG_ARGS, ...args], { cwd, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new Error(`cannot run git: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out));
      else reject(new Error(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString("utf8").trim()}`));
    });
    child.stdin.on("error", () => undefined); // git may exit before reading all input; the exit code tells
    child.stdin.end(stdin ?? "");
  });
}

/** True for a file that starts like a git bundle (v2 or v3). */
export function isGitBundleFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const fd = openSync(path, "r");
    try {
      const head = Buffer.alloc(16);
      const n = readSync(fd, head, 0, 16, 0);
      return /^# v[23] git bundle\n/.test(head.subarray(0, n).toString("latin1"));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** True for the root of a git work tree or a bare repository (not a folder inside one). */
export function isGitRepositoryPath(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) return false;
  } catch {
    return false;
  }
  if (existsSync(join(path, ".git"))) return true;
  return existsSync(join(path, "HEAD")) && existsSync(join(path, "objects")) && existsSync(join(path, "refs"));
}

/** Opens a repository path as is, or clones a bundle file into a temporary bare repository. */
export async function openGitRepository(pathOrBundle: string): Promise<GitRepository> {
  const origin = resolve(pathOrBundle);
  if (isGitBundleFile(origin)) {
    const tmp = mkdtempSync(join(tmpdir(), "hindsight-bundle-"));
    const close = () => rmSync(tmp, { recursive: true, force: true });
    try {
      await runGit(tmp, ["clone", "--bare", "--quiet", "--", origin, join(tmp, "repo.git")]);
    } catch (err) {
      close();
      throw new Error(`cannot read git bundle ${pathOrBundle}: ${(err as Error).message}`);
    }
    return { dir: join(tmp, "repo.git"), origin, isBundle: true, close };
  }
  if (!isGitRepositoryPath(origin)) throw new Error(`${pathOrBundle} is neither a git repository nor a git bundle file`);
  return { dir: origin, origin, isBundle: false, close: () => undefined };
}

/** The source name a repository is imported under unless one is given: its origin URL, else a file URL. */
export async function defaultGitSourceName(repo: GitRepository, subdir: string): Promise<string> {
  let url = `file://${repo.origin}`;
  if (!repo.isBundle) {
    const remote = await runGit(repo.dir, ["config", "--get", "remote.origin.url"]).catch(() => null);
    // Credentials in a remote URL (https://user:token@host/…) must not end up in stored source names.
    const text = remote?.toString("utf8").trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
    if (text) url = text;
  }
  return subdir ? `${url}#${subdir}` : url;
}

/** "", ".", "./x/", "/x" → "" or "x": a subdirectory relative to the repository root, no slashes at the ends. */
export function normalizeSubdir(subdir: string | undefined): string {
  const s = (subdir ?? "").replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+|\/+$/g, "");
  return s === "." ? "" : s;
}

/** Path relative to the subdirectory, or undefined when the path lies outside it. */
function underSubdir(path: string, subdir: string): string | undefined {
  if (!subdir) return path;
  return path.startsWith(`${subdir}/`) ? path.slice(subdir.length + 1) : undefined;
}

/** Undoes git's C-style quoting of unusual path names ("a\tb", octal UTF-8 bytes). */
function unquoteGitPath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * Every commit reachable from HEAD, parents before children (oldest first), with whether it changes
 * policy files under `subdir` compared with its first parent (so a merge that brings a branch's
 * policies into the followed branch counts, and a commit touching only a README does not).
 */
export async function readGitHistory(repo: GitRepository, subdir = ""): Promise<GitCommit[]> {
  const head = await runGit(repo.dir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).catch(() => null);
  if (!head) throw new Error(`${repo.origin} has no commits (HEAD does not resolve)`);
  const out = await runGit(repo.dir, [
    "log",
    "--reverse",
    "--topo-order",
    "--root",
    "--no-renames",
    "--no-ext-diff",
    "--no-show-signature",
    "--diff-merges=first-parent",
    "--name-only",
    "--format=%x1e%H%x1f%P%x1f%an <%ae>%x1f%cI%x1f%B%x1f",
    "HEAD",
  ]);
  const commits: GitCommit[] = [];
  for (const chunk of out.toString("utf8").split("\x1e")) {
    if (!chunk.trim()) continue;
    const [hash, parents, author, committedAt, message, names = ""] = chunk.split("\x1f");
    const changed = names
      .split("\n")
      .map((n) => n.trim())
      .filter(Boolean)
      .map(unquoteGitPath);
    commits.push({
      hash: hash!.trim(),
      parents: parents!.trim() ? parents!.trim().split(" ") : [],
      author: author!,
      committedAt: new Date(committedAt!),
      message: message!.replace(/\s+$/, ""),
      changesPolicies: changed.some((p) => {
        const rel = underSubdir(p, subdir);
        return rel !== undefined && isCerbosSnapshotPath(rel);
      }),
    });
  }
  return commits;
}

/** Reads blobs with one `git cat-file --batch` per call; contents are cached by blob id across calls. */
export class GitBlobReader {
  private readonly cache = new Map<string, string>();
  constructor(private readonly repo: GitRepository) {}

  async read(ids: string[]): Promise<Map<string, string>> {
    const missing = [...new Set(ids.filter((id) => !this.cache.has(id)))];
    if (missing.length > 0) {
      const out = await runGit(this.repo.dir, ["cat-file", "--batch"], missing.join("\n") + "\n");
      let pos = 0;
      for (const id of missing) {
        const eol = out.indexOf(10, pos);
        const header = out.subarray(pos, eol).toString("latin1");
        const [gotId, type, size] = header.split(" ");
        if (gotId !== id || type !== "blob") throw new Error(`git cat-file: expected blob ${id}, got "${header}"`);
        const start = eol + 1;
        const end = start + Number(size);
        this.cache.set(id, out.subarray(start, end).toString("utf8"));
        pos = end + 1; // the content is followed by a newline
      }
    }
    return new Map(ids.map((id) => [id, this.cache.get(id)!]));
  }
}

/** The policy files (relative to `subdir`) in the tree of a commit. Symlinks and submodules are skipped. */
export async function readPolicySnapshot(repo: GitRepository, blobs: GitBlobReader, commit: string, subdir = ""): Promise<PolicyFile[]> {
  const out = await runGit(repo.dir, ["ls-tree", "-r", "-z", "--full-tree", commit, ...(subdir ? ["--", subdir] : [])]);
  const entries: { path: string; id: string }[] = [];
  for (const line of out.toString("utf8").split("\0")) {
    if (!line) continue;
    const tab = line.indexOf("\t");
    const [mode, type, id] = line.slice(0, tab).split(" ");
    const rel = underSubdir(line.slice(tab + 1), subdir);
    if (type !== "blob" || (mode !== "100644" && mode !== "100755") || rel === undefined || !isCerbosSnapshotPath(rel)) continue;
    entries.push({ path: rel, id: id! });
  }
  const contents = await blobs.read(entries.map((e) => e.id));
  return entries.map((e) => ({ path: e.path, content: contents.get(e.id)! }));
}

/**
 * For each commit, the commit whose snapshot is in force there: itself when it changes policies,
 * else its first parent's (undefined before the first policy commit).
 */
export function snapshotCommitsOf(commits: readonly GitCommit[]): Map<string, string | undefined> {
  const result = new Map<string, string | undefined>();
  for (const c of commits) {
    if (c.changesPolicies) result.set(c.hash, c.hash);
    else result.set(c.hash, c.parents[0] === undefined ? undefined : result.get(c.parents[0]));
  }
  return result;
}

export function shortHash(hash: string): string {
  return hash.slice(0, 7);
}

export function repositoryLabel(repo: GitRepository): string {
  return basename(repo.origin);
}
