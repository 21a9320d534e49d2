// Writes the demo policy history (policy-history.ts) as a real git repository: one commit per
// policy version on `main`, files under the history's subdirectory. Author, committer and dates are
// fixed by the history and the environment is isolated from the user's git config, so the same
// history always gives the same commit hashes. Those differ from the timeline's random hashes:
// pass the returned commits to generateDemoLogs({policyCommits}) to make records name them.

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { DemoPolicyHistory } from "./policy-history.ts";
import type { PolicyCommitRef } from "./policy-timeline.ts";

const run = promisify(execFile);

export interface WrittenDemoRepo {
  dir: string;
  branch: string;
  subdirectory: string;
  /** The real commits, oldest first: feed them to generateDemoLogs({policyCommits}). */
  commits: Array<PolicyCommitRef & { message: string; author: string }>;
}

function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // An inherited GIT_DIR (e.g. inside a hook) would aim every command at another repository.
  for (const k of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE"]) delete env[k];
  // No system/global config: signing, hooks paths, autocrlf or templates would change the hashes.
  return { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...extra };
}

async function git(dir: string, args: string[], extraEnv?: Record<string, string>): Promise<string> {
  const { stdout } = await run("git", ["-c", "core.autocrlf=false", "-c", "commit.gpgSign=false", ...args], { cwd: dir, env: gitEnv(extraEnv), maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** "Name <email>" → parts; a bare name gets a placeholder address. */
function parseAuthor(author: string): { name: string; email: string } {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(author);
  return m ? { name: m[1] || m[2], email: m[2] } : { name: author, email: "policies@acme.example" };
}

/** Git's internal date format: whole seconds since the epoch and a zone. */
const gitDate = (d: Date) => `${Math.floor(d.getTime() / 1000)} +0000`;

/** Creates `dir` (absent or empty) as a git repository holding `history`; returns the real commits. */
export async function writeDemoGitRepo(dir: string, history: DemoPolicyHistory): Promise<WrittenDemoRepo> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`writeDemoGitRepo: ${dir} exists and is not empty`);
  mkdirSync(dir, { recursive: true });
  // --template= keeps the host's template hooks out of the repository.
  await git(dir, ["init", "-q", "--template=", "-b", history.branch]);
  // The URL the records' policySource.git.repositoryUrl names; importers take a repository's name
  // from its origin remote. Config only: nothing is ever fetched from it.
  await git(dir, ["remote", "add", "origin", history.repositoryUrl]);
  const root = join(dir, history.subdirectory);
  const commits: WrittenDemoRepo["commits"] = [];
  for (const commit of history.commits) {
    // Each commit is a full snapshot: files a version dropped must disappear.
    rmSync(root, { recursive: true, force: true });
    for (const file of commit.files) {
      const abs = join(root, ...file.path.split("/"));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, file.content);
    }
    const { name, email } = parseAuthor(commit.author);
    const date = gitDate(commit.committedAt);
    await git(dir, ["add", "-A", "--", history.subdirectory]);
    await git(dir, ["commit", "-q", "--allow-empty", "--no-verify", "-m", commit.message], {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: name,
      GIT_COMMITTER_EMAIL: email,
      GIT_COMMITTER_DATE: date,
    });
    const hash = await git(dir, ["rev-parse", "HEAD"]);
    commits.push({ hash, committedAt: new Date(Math.floor(commit.committedAt.getTime() / 1000) * 1000), message: commit.message, author: commit.author });
  }
  return { dir, branch: history.branch, subdirectory: history.subdirectory, commits };
}
