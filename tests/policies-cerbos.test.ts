// Differential: decisions the real Cerbos PDP made while its git store followed a branch through
// the fixture history (v1 → raised limit → README-only → broken commit) replay as reproduced
// against the version each decision resolves to, from git (`replay --git`) and from the database.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import replay from "../bin/commands/replay.ts";
import { findCerbosBinary } from "../lib/engine/cerbos/testing/cerbos-server.ts";
import { importGitRepository, resolveVersionForRecord } from "../lib/policies/index.ts";
import { startCerbosGitServer, type CerbosGitServer } from "../lib/policies/testing/cerbos-git-server.ts";
import { buildFixtureRepo, type FixtureRepo } from "../lib/policies/testing/fixture-repo.ts";
import { useTestDatabase } from "./setup/db.ts";

const missing = findCerbosBinary().reason;
const getPool = useTestDatabase();
let repo: FixtureRepo;
let server: CerbosGitServer | undefined;
let work: string;
let log: string;
/** Calls made while the PDP was settled on a head; calls made while it switched heads may race (cerbos.md §1.5 finding 3). */
const settledCalls = new Set<string>();

const CHECK = {
  requestId: "diff",
  principal: { id: "alice", roles: ["user"] },
  resources: [500, 5000, 20000].map((amount, i) => ({
    resource: { kind: "document", id: `doc-${amount}`, attr: { amount, owner: i === 0 ? "alice" : "bob" } },
    actions: ["view", "edit", "delete"],
  })),
};

function moveBranch(hash: string): void {
  execFileSync("git", ["branch", "-f", "live", hash], { cwd: repo.dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } });
}

async function check(): Promise<string> {
  const res = await fetch(`${server!.url}/api/check/resources`, { method: "POST", body: JSON.stringify(CHECK) });
  expect(res.ok).toBe(true);
  return ((await res.json()) as { cerbosCallId: string }).cerbosCallId;
}

async function settledCheck(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  settledCalls.add(await check());
}

/** Sends checks until the PDP reports `hash` as its live head (it polls the branch every second). */
async function checkUntilHead(hash: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await check();
    await new Promise((r) => setTimeout(r, 250));
    const last = server!.decisions().at(-1) as { policySource?: { git?: { hash?: string } } } | undefined;
    if (last?.policySource?.git?.hash === hash) return;
    if (Date.now() > deadline) throw new Error(`Cerbos never reported head ${hash}`);
  }
}

describe.skipIf(missing !== undefined)("decisions recorded by the real Cerbos git store", () => {
  beforeAll(async () => {
    repo = buildFixtureRepo(new Date("2026-01-01T00:00:00Z"));
    work = mkdtempSync(join(tmpdir(), "hindsight-cerbos-git-test-"));
    const { c1, c2, c3, c4 } = repo.commits;
    moveBranch(c1.hash);
    server = await startCerbosGitServer({ repoDir: repo.dir, branch: "live" });
    settledCalls.add(await check()); // right after the clone: the live hash may still be absent (cerbos.md §1.5)
    await checkUntilHead(c1.hash);
    await settledCheck();
    for (const c of [c2, c3, c4]) {
      moveBranch(c.hash);
      await checkUntilHead(c.hash);
      await settledCheck();
    }
    await new Promise((r) => setTimeout(r, 300)); // audit writes are asynchronous
    log = join(work, "audit.log");
    const settled = server.decisions().filter((e) => settledCalls.has(String(e.callId)));
    expect(settled).toHaveLength(settledCalls.size);
    writeFileSync(log, settled.map((e) => JSON.stringify(e)).join("\n") + "\n");
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    repo?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("replays every recorded decision as reproduced against its resolved commit", async () => {
    const { c1, c2, c3, c4 } = repo.commits;
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    let out = "";
    io.stdout.on("data", (d: Buffer) => (out += d.toString()));
    expect(await replay(["--git", repo.dir, "--log", log], io)).toBe(0);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5 * 3); // five settled calls of three resources each
    expect(lines.filter((l) => !l.match)).toEqual([]);
    const used = new Set(lines.map((l) => l.version));
    expect([...used].sort()).toEqual([c1.hash, c2.hash, c3.hash].sort());
    // At the broken head Cerbos kept its last valid policies; the replay falls back the same way.
    expect(lines.some((l) => l.compileFallbackFrom === c4.hash && l.version === c3.hash)).toBe(true);
    // The per-policy commit_hash stayed at the startup commit while the live hash moved on.
    expect(lines.some((l) => l.version === c2.hash && l.resolvedBy === "policySource")).toBe(true);
  });

  it("resolves each recorded decision in the database to the commit Cerbos reported", async () => {
    const pool = getPool();
    await importGitRepository(pool, repo.dir);
    const entries = server!.decisions();
    for (const entry of entries) {
      const source = entry.policySource as { git: { hash?: string } };
      const stale = Object.values((entry.auditTrail as { effectivePolicies: Record<string, { attributes: { commit_hash: string } }> }).effectivePolicies)[0]!.attributes.commit_hash;
      expect(stale).toBe(repo.commits.c1.hash); // stale after every live update
      const resolved = await resolveVersionForRecord(pool, entry, new Date(String(entry.timestamp)));
      if (source.git.hash) expect(resolved).toMatchObject({ ref: source.git.hash, resolvedBy: "policySource" });
      else expect(resolved).toMatchObject({ ref: repo.commits.c1.hash, resolvedBy: "commit_hash" });
    }
  });
});
