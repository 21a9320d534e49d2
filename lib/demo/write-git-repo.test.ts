import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileCerbosPolicies } from "../engine/cerbos/index.ts";
import { GitBlobReader, openGitRepository, readGitHistory, readPolicySnapshot } from "../policies/git.ts";
import { replayEntry } from "../replay/replay-entry.ts";
import { demoPolicyFiles, demoPolicyHistory, generateDemoLogs, writeDemoGitRepo } from "./index.ts";

const scratch = mkdtempSync(join(tmpdir(), "hindsight-demo-repo-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "safe.directory=*", ...args], { cwd: dir, encoding: "utf8" }).trim();

describe("demoPolicyHistory", () => {
  it("has one commit per timeline version with that version's hash, time, message and files", () => {
    const demo = generateDemoLogs({ seed: 5, count: 300 });
    const history = demoPolicyHistory(demo.policyTimeline);
    expect(history.subdirectory).toBe("policies");
    expect(history.commits.map((c) => c.hash)).toEqual(demo.policyTimeline.cerbos.map((v) => v.hash));
    expect(history.commits.map((c) => c.committedAt.getTime())).toEqual(demo.policyTimeline.cerbos.map((v) => v.fromMs));
    expect(history.commits[1].message).toBe("Let sub-agents approve payments within their delegated scope");
    expect(history.commits.every((c) => /^.+ <[^>]+@[^>]+>$/.test(c.author))).toBe(true);
    const paths = history.commits[0].files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["resource_policies/payment.yaml", "resource_policies/mcp_tool.yaml", "derived_roles/agent_delegation.yaml"]));
    expect(paths.some((p) => p.includes("calendar"))).toBe(false);
    // Only what the commit messages say changes between versions.
    const changed = (a: number, b: number) =>
      history.commits[b].files.filter((f) => history.commits[a].files.find((g) => g.path === f.path)?.content !== f.content).map((f) => f.path);
    expect(changed(0, 1)).toEqual(["resource_policies/payment_acme_finance.yaml"]);
    expect(changed(1, 2).sort()).toEqual(["export_constants/limits.yaml", "export_variables/agent_scopes.yaml", "resource_policies/payment_acme_finance.yaml"]);
    // Every record names a commit of the history.
    const hashes = new Set(history.commits.map((c) => c.hash));
    const named = [...demo.cerbosNdjson.toString().matchAll(/"hash":"([0-9a-f]{40})"/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((h) => hashes.has(h))).toBe(true);
  });
});

describe("writeDemoGitRepo", () => {
  const history = demoPolicyHistory(generateDemoLogs({ seed: 9, count: 100 }).policyTimeline);

  it("writes one deterministic commit per version with the history's authors, dates and files", async () => {
    const a = await writeDemoGitRepo(join(scratch, "a"), history);
    const b = await writeDemoGitRepo(join(scratch, "b", "nested"), history);
    expect(a.commits.map((c) => c.hash)).toEqual(b.commits.map((c) => c.hash));
    expect(a.commits.every((c) => /^[0-9a-f]{40}$/.test(c.hash))).toBe(true);
    expect(git(a.dir, "config", "--get", "remote.origin.url")).toBe(history.repositoryUrl);
    const log = git(a.dir, "log", "--reverse", "--format=%H|%an <%ae>|%ct|%s", "main").split("\n");
    expect(log).toEqual(history.commits.map((c, i) => `${a.commits[i].hash}|${c.author}|${Math.floor(c.committedAt.getTime() / 1000)}|${c.message}`));
    for (const [i, commit] of history.commits.entries()) {
      const tree = git(a.dir, "ls-tree", "-r", "--name-only", a.commits[i].hash).split("\n");
      expect(tree).toEqual(commit.files.map((f) => `policies/${f.path}`).sort());
      const payment = git(a.dir, "show", `${a.commits[i].hash}:policies/resource_policies/payment_acme_finance.yaml`);
      expect(payment).toBe(demoPolicyFiles((i + 1) as 1 | 2 | 3).find((f) => f.path === "resource_policies/payment_acme_finance.yaml")!.content.trim());
    }
  });

  it("refuses a non-empty directory", async () => {
    await writeDemoGitRepo(join(scratch, "c"), history);
    await expect(writeDemoGitRepo(join(scratch, "c"), history)).rejects.toThrow(/not empty/);
  });

  it("generateDemoLogs({policyCommits}) names the repository's commits and changes nothing else", async () => {
    const repo = await writeDemoGitRepo(join(scratch, "d"), history);
    const plain = generateDemoLogs({ seed: 9, count: 1500 });
    const real = generateDemoLogs({ seed: 9, count: 1500, policyCommits: repo.commits });
    expect(real.policyTimeline.cerbos.map((v) => v.hash)).toEqual(repo.commits.map((c) => c.hash));
    let expected = plain.cerbosNdjson.toString();
    plain.policyTimeline.cerbos.forEach((v, i) => (expected = expected.split(v.hash).join(repo.commits[i].hash)));
    expect(real.cerbosNdjson.toString()).toBe(expected);
    expect(real.opaEvents.equals(plain.opaEvents)).toBe(true);
    expect(() => generateDemoLogs({ seed: 9, count: 10, policyCommits: repo.commits.slice(1) })).toThrow(/expected 3 commits/);
  });

  it("end to end: records generated with the repository's commits replay through the app's git reader and replay", async () => {
    const written = await writeDemoGitRepo(join(scratch, "e"), history);
    const logs = generateDemoLogs({ seed: 9, count: 2000, policyCommits: written.commits });
    const repo = await openGitRepository(written.dir);
    const commits = await readGitHistory(repo, "policies");
    expect(commits.map((c) => [c.hash, c.committedAt.getTime(), c.author, c.message])).toEqual(
      written.commits.map((c) => [c.hash, c.committedAt.getTime(), c.author, c.message]),
    );
    const blobs = new GitBlobReader(repo);
    const sets = new Map<string, NonNullable<ReturnType<typeof compileCerbosPolicies>["policySet"]>>();
    for (const c of commits) {
      const files = await readPolicySnapshot(repo, blobs, c.hash, "policies");
      const outcome = compileCerbosPolicies({ policies: files.map((f) => ({ path: f.path, text: f.content })), schemas: [] });
      expect(outcome.ok).toBe(true);
      sets.set(c.hash, outcome.policySet!);
    }
    let replayed = 0;
    for (const line of logs.cerbosNdjson.toString().split("\n")) {
      if (!line.includes('"checkResources"')) continue;
      const entry = JSON.parse(line) as Record<string, any>;
      const result = replayEntry(sets.get(entry.policySource.git.hash)!, entry, new Date(entry.timestamp));
      expect(result?.status, line).toBe("reproduced");
      replayed++;
    }
    expect(replayed).toBeGreaterThan(500);
  });
});
