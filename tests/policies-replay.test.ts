// `hindsight replay --git`: each logged decision replays against the commit resolved from it
// (policySource hash, stale commit_hash, time) or against --at; straight from git, no database.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import replay from "../bin/commands/replay.ts";
import { GitPolicyHistory } from "../lib/policies/git-history.ts";
import { fixtureDecisionEntry, toNdjson } from "../lib/policies/testing/decision-entries.ts";
import { buildFixtureRepo, type FixtureRepo } from "../lib/policies/testing/fixture-repo.ts";

const BASE = new Date("2030-03-01T10:00:00Z");
const hoursAfter = (h: number) => new Date(BASE.getTime() + h * 3600_000);
let repo: FixtureRepo;
let work: string;
let log: string;

async function run(args: string[]) {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  let out = "";
  let err = "";
  io.stdout.on("data", (d: Buffer) => (out += d.toString()));
  io.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await replay(args, io);
  return { code, lines: out.trim() ? out.trim().split("\n").map((l) => JSON.parse(l)) : [], err };
}

beforeAll(() => {
  repo = buildFixtureRepo(BASE);
  work = mkdtempSync(join(tmpdir(), "hindsight-replay-git-"));
  const { c1, c2, c3, c4 } = repo.commits;
  const url = `file://${repo.dir}`;
  // Effects as Cerbos recorded them: edit is allowed below max_amount (1000 at c1, 10000 from c2).
  const entries = [
    { callId: "e1-live-c1", timestamp: hoursAfter(1), amount: 5000, effects: { view: "EFFECT_ALLOW", edit: "EFFECT_DENY" }, liveHash: c1.hash, commitHash: c1.hash },
    { callId: "e2-stale", timestamp: hoursAfter(3), amount: 5000, effects: { view: "EFFECT_ALLOW", edit: "EFFECT_ALLOW" }, liveHash: c2.hash, commitHash: c1.hash },
    { callId: "e3-fresh-clone", timestamp: hoursAfter(0.1), amount: 500, effects: { edit: "EFFECT_ALLOW" }, commitHash: c1.hash },
    { callId: "e4-time", timestamp: hoursAfter(5), amount: 5000, effects: { edit: "EFFECT_ALLOW" } },
    { callId: "e5-readme-head", timestamp: hoursAfter(5), amount: 2000, effects: { edit: "EFFECT_ALLOW" }, liveHash: c3.hash },
    { callId: "e6-broken", timestamp: hoursAfter(7), amount: 5000, effects: { edit: "EFFECT_ALLOW" }, liveHash: c4.hash },
    { callId: "e7-before-history", timestamp: hoursAfter(-5), amount: 5000, effects: { edit: "EFFECT_ALLOW" } },
  ] as const;
  log = join(work, "decisions.ndjson");
  writeFileSync(log, toNdjson(entries.map((e) => fixtureDecisionEntry({ ...e, effects: { ...e.effects }, repositoryUrl: url }))));
});
afterAll(() => {
  repo.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe("hindsight replay --git", () => {
  it("replays each entry against the commit it resolves to", async () => {
    const { c1, c2, c3, c4 } = repo.commits;
    const { code, lines, err } = await run(["--git", repo.dir, "--log", log, "--json"]);
    expect(code).toBe(0);
    const by = Object.fromEntries(lines.map((l) => [l.callId, l]));
    expect(by["e1-live-c1"]).toMatchObject({ version: c1.hash, resolvedBy: "policySource", replayed: { view: "EFFECT_ALLOW", edit: "EFFECT_DENY" }, match: true });
    expect(by["e2-stale"]).toMatchObject({ version: c2.hash, resolvedBy: "policySource", replayed: { edit: "EFFECT_ALLOW" }, match: true });
    expect(by["e3-fresh-clone"]).toMatchObject({ version: c1.hash, resolvedBy: "commit_hash", match: true });
    expect(by["e4-time"]).toMatchObject({ version: c3.hash, resolvedBy: "time", replayed: { edit: "EFFECT_ALLOW" }, match: true });
    expect(by["e5-readme-head"]).toMatchObject({ version: c3.hash, resolvedBy: "policySource", match: true });
    // Cerbos keeps serving the last valid policies when the head does not compile: so does the replay, and says so.
    expect(by["e6-broken"]).toMatchObject({ version: c3.hash, compileFallbackFrom: c4.hash, resolvedBy: "policySource", replayed: { edit: "EFFECT_ALLOW" }, match: true });
    expect(by["e7-before-history"]).toMatchObject({ version: null, resolvedBy: null, replayed: null, error: expect.stringContaining("no policy version") });
    const summary = JSON.parse(err.trim().split("\n").pop()!);
    expect(summary).toMatchObject({ entries: 7, inputs: 6, actions: 8, matches: 8, mismatches: 0, unreplayedEntries: 1 });
    expect(summary.versions).toEqual({ [c1.hash]: 2, [c2.hash]: 1, [c3.hash]: 3 });
  });

  it("replays every entry against --at and shows what that commit would have decided", async () => {
    const { c1 } = repo.commits;
    const { code, lines } = await run(["--git", repo.dir, "--log", log, "--at", c1.hash.slice(0, 8)]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(7);
    expect(lines.every((l) => l.version === c1.hash && l.resolvedBy === "--at")).toBe(true);
    const by = Object.fromEntries(lines.map((l) => [l.callId, l]));
    expect(by["e2-stale"]).toMatchObject({ recorded: { edit: "EFFECT_ALLOW" }, replayed: { edit: "EFFECT_DENY" }, match: false });
    expect(by["e1-live-c1"]).toMatchObject({ match: true });
  });

  it("reads a git bundle the same way and accepts git revisions for --at", async () => {
    const bundle = join(work, "policies.bundle");
    repo.bundle(bundle);
    const { code, lines } = await run(["--git", bundle, "--log", log, "--at", "HEAD~1"]);
    expect(code).toBe(0);
    expect(lines.every((l) => l.version === repo.commits.c3.hash)).toBe(true);
    const fromBundle = await run(["--git", bundle, "--log", log]);
    const fromRepo = await run(["--git", repo.dir, "--log", log]);
    expect(fromBundle.lines).toEqual(fromRepo.lines);
  });

  it("answers bad arguments with usage errors", async () => {
    expect((await run(["--git", repo.dir, "--policies", repo.dir, "--log", log])).code).toBe(2);
    expect((await run(["--policies", repo.dir, "--log", log, "--at", "HEAD"])).code).toBe(2);
    expect((await run(["--git", join(work, "nope"), "--log", log])).code).toBe(2);
    const broken = await run(["--git", repo.dir, "--log", log, "--at", repo.commits.c4.hash]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("do not compile");
    expect((await run(["--git", repo.dir, "--log", log, "--at", "no-such-rev"])).err).toContain("unknown revision");
  });

  it("compiles each snapshot once, lazily", async () => {
    const history = await GitPolicyHistory.open(repo.dir);
    try {
      expect(history.compiles).toBe(0);
      const { c2, c3 } = repo.commits;
      const a = await history.policySetAt(history.findCommit(c2.hash)!);
      const b = await history.policySetAt(history.findCommit(c3.hash)!); // README-only commit: c2's snapshot
      expect(a.ok && b.ok && a.policySet === b.policySet).toBe(true);
      expect(history.compiles).toBe(1);
    } finally {
      history.close();
    }
  });
});
