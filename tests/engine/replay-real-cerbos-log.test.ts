// End to end: the real Cerbos 0.55 server writes a decision log (file backend) for seeded random
// requests (JWT aux data included); `hindsight replay` reads that log through lib/formats and
// must reproduce every logged effect.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import replay from "../../bin/commands/replay.ts";
import { findCerbosBinary, startCerbosServer, waitForDecisionLog } from "../../lib/engine/cerbos/testing/cerbos-server.ts";
import { FIXTURE_POLICIES_DIR, FIXTURE_VOCABULARY } from "../../lib/engine/cerbos/testing/fixture-vocabulary.ts";
import { makeTokens, mulberry32, randomRequest } from "../../lib/engine/cerbos/testing/random-requests.ts";

const binary = findCerbosBinary();
if (!binary.path) console.warn(`[replay-real-log] SKIPPED: the real Cerbos binary cannot run here: ${binary.reason}`);

describe.skipIf(!binary.path)("hindsight replay on a real Cerbos decision log", () => {
  it("reproduces every logged effect", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "hindsight-real-log-"));
    const log = join(dir, "decisions.log");
    const server = await startCerbosServer({ policyDir: FIXTURE_POLICIES_DIR, decisionLogPath: log });
    const rand = mulberry32(2024);
    const tokens = await makeTokens(6, rand);
    try {
      for (let i = 0; i < 300; i++) {
        const res = await fetch(`${server.url}/api/check/resources`, { method: "POST", body: JSON.stringify(randomRequest(rand, FIXTURE_VOCABULARY, tokens, i)) });
        expect(res.ok).toBe(true);
      }
      await waitForDecisionLog(log, 300);
    } finally {
      await server.stop();
    }
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    let out = "";
    let err = "";
    io.stdout.on("data", (d: Buffer) => (out += d.toString()));
    io.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await replay(["--policies", FIXTURE_POLICIES_DIR, "--log", log, "--json"], io);
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    const summary = JSON.parse(err.trim().split("\n").pop()!);
    console.log(`[replay-real-log] ${JSON.stringify(summary)}`);
    const mismatches = out.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => !l.match);
    expect(mismatches).toEqual([]);
    expect(summary.entries).toBe(300);
    expect(summary.mismatches).toBe(0);
    expect(summary.rejectedLines).toBe(0);
  });
});
