// Reading policy history with the git CLI: policy-changing commits under a subdirectory, merges
// compared with their first parent, unusual path names, snapshots at any commit.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultGitSourceName, GitBlobReader, type GitRepository, normalizeSubdir, openGitRepository, readGitHistory, readPolicySnapshot, snapshotCommitsOf } from "./git.ts";

let dir: string;
let repo: GitRepository;
const hashes: Record<string, string> = {};

function git(args: string[], when = "2030-01-01T00:00:00Z"): string {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "A", GIT_AUTHOR_EMAIL: "a@x", GIT_COMMITTER_NAME: "C", GIT_COMMITTER_EMAIL: "c@x", GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  return execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd: dir, env }).toString().trim();
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function commit(name: string, when: string, message = name): void {
  git(["add", "-A"], when);
  git(["commit", "-q", "-m", message], when);
  hashes[name] = git(["rev-parse", "HEAD"]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hindsight-git-test-"));
  git(["init", "-q"]);
  write("README.md", "x");
  commit("root", "2030-01-01T00:00:00Z");
  write("cerbos/resource.yaml", "a: 1\n");
  write("cerbos/ünï code.yaml", "b: 1\n");
  write("other/ignored.yaml", "c: 1\n");
  commit("A", "2030-01-02T00:00:00Z", "policies\n\nwith a body");
  git(["checkout", "-q", "-b", "feature"]);
  write("cerbos/resource.yaml", "a: 2\n");
  commit("B", "2030-01-03T00:00:00Z");
  git(["checkout", "-q", "main"]);
  write("other/ignored.yaml", "c: 2\n");
  commit("C", "2030-01-04T00:00:00Z");
  git(["merge", "-q", "--no-ff", "-m", "merge feature", "feature"], "2030-01-05T00:00:00Z");
  hashes.M = git(["rev-parse", "HEAD"]);
  repo = await openGitRepository(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("git policy history", () => {
  it("marks commits that change policies under the subdirectory, merges against their first parent", async () => {
    const history = await readGitHistory(repo, "cerbos");
    const flags = Object.fromEntries(history.map((c) => [Object.keys(hashes).find((k) => hashes[k] === c.hash), c.changesPolicies]));
    expect(flags).toEqual({ root: false, A: true, B: true, C: false, M: true });
    expect(history[0]!.hash).toBe(hashes.root); // oldest first
    const a = history.find((c) => c.hash === hashes.A)!;
    expect(a).toMatchObject({ author: "A <a@x>", message: "policies\n\nwith a body", committedAt: new Date("2030-01-02T00:00:00Z"), parents: [hashes.root] });
    expect(history.find((c) => c.hash === hashes.M)!.parents).toEqual([hashes.C, hashes.B]);
    const inForce = snapshotCommitsOf(history);
    expect(inForce.get(hashes.root!)).toBeUndefined();
    expect(inForce.get(hashes.C!)).toBe(hashes.A);
    expect(inForce.get(hashes.M!)).toBe(hashes.M);
  });

  it("sees every policy file change at the root, including outside a subdirectory", async () => {
    const history = await readGitHistory(repo);
    expect(history.find((c) => c.hash === hashes.C)!.changesPolicies).toBe(true);
    expect(history.find((c) => c.hash === hashes.root)!.changesPolicies).toBe(false);
  });

  it("reads snapshots relative to the subdirectory, unusual names included", async () => {
    const blobs = new GitBlobReader(repo);
    expect(await readPolicySnapshot(repo, blobs, hashes.M!, "cerbos")).toEqual([
      { path: "resource.yaml", content: "a: 2\n" },
      { path: "ünï code.yaml", content: "b: 1\n" },
    ]);
    expect((await readPolicySnapshot(repo, blobs, hashes.A!)).map((f) => f.path)).toEqual(["cerbos/resource.yaml", "cerbos/ünï code.yaml", "other/ignored.yaml"]);
    expect(await readPolicySnapshot(repo, blobs, hashes.root!, "cerbos")).toEqual([]);
  });

  it("names a repository after its origin URL without credentials", async () => {
    git(["remote", "add", "origin", "https://bot:s3cret@git.example.com/acme/policies.git"]);
    try {
      expect(await defaultGitSourceName(repo, "cerbos")).toBe("https://git.example.com/acme/policies.git#cerbos");
    } finally {
      git(["remote", "remove", "origin"]);
    }
    expect(await defaultGitSourceName(repo, "")).toBe(`file://${dir}`);
  });

  it("normalises subdirectories and refuses paths that are not repositories", async () => {
    expect(normalizeSubdir("./cerbos/")).toBe("cerbos");
    expect(normalizeSubdir(".")).toBe("");
    expect(normalizeSubdir(undefined)).toBe("");
    await expect(openGitRepository(join(dir, "cerbos"))).rejects.toThrow(/neither a git repository nor a git bundle/);
  });
});
