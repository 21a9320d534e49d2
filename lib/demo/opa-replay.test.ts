// Every demo OPA decision must be reproducible: replaying an event (the app's replayOpaEntry) against
// the bundle its `bundles["agents-authz"].revision` names, compiled from demoOpaBundles the way the
// app compiles an imported bundle, gives exactly the logged result (or the logged error).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleRevisionOf, compileOpaBundle, isOpaBundlePath, type RegoPolicySet } from "../policies/opa-bundle.ts";
import { replayOpaEntry } from "../replay/opa-replay.ts";
import { demoOpaBundles, generateDemoLogs, writeDemoOpaBundles, type DemoOpaBundle } from "./index.ts";

interface OpaEvent extends Record<string, unknown> {
  path: string;
  timestamp: string;
  bundles: Record<string, { revision: string }>;
  input: { resource?: { id: string }; context?: { task_id: string }; token?: string };
  result?: { allow?: boolean; allowed?: boolean; reasons?: string[] };
  error?: { code: string; message: string };
  erased?: string[];
}

function compileBundles(bundles: readonly DemoOpaBundle[]): Map<string, RegoPolicySet> {
  const byRevision = new Map<string, RegoPolicySet>();
  for (const b of bundles) {
    const outcome = compileOpaBundle(b.files);
    if (!outcome.ok) throw new Error(`${b.revision}: ${JSON.stringify(outcome.errors)}`);
    expect(bundleRevisionOf(b.files)).toBe(b.revision);
    byRevision.set(b.revision, outcome.policySet);
  }
  return byRevision;
}

const eventsOf = (buf: Buffer) => JSON.parse(buf.toString()) as OpaEvent[];

describe("demo OPA decisions replay with the demo bundles", () => {
  for (const seed of [3, 11]) {
    it(`seed ${seed}: every event replays to its logged result under the revision it names`, () => {
      const demo = generateDemoLogs({ seed, count: 12_000 });
      const bundles = demoOpaBundles(demo.policyTimeline);
      expect(bundles.map((b) => b.revision)).toEqual(demo.policyTimeline.opa.map((r) => r.revision));
      const sets = compileBundles(bundles);
      const events = eventsOf(demo.opaEvents);
      expect(events.length).toBeGreaterThan(3000);
      const seen = { revisions: new Set<string>(), paths: new Set<string>(), denied: 0, errors: 0, erased: 0 };
      for (const event of events) {
        const revision = event.bundles["agents-authz"].revision;
        const set = sets.get(revision);
        expect(set, `unknown bundle revision ${revision}`).toBeDefined();
        const replay = replayOpaEntry(set!, event, new Date(event.timestamp))!;
        expect(replay.status, JSON.stringify({ event, replayed: replay.replayed })).toBe("reproduced");
        // An error replays as "reproduced" whatever it says, so compare it too.
        if (event.error) expect(replay.replayed.error?.code).toBe(event.error.code);
        seen.revisions.add(revision);
        seen.paths.add(event.path);
        if (event.result?.allow === false || event.result?.allowed === false) seen.denied++;
        if (event.error) seen.errors++;
        if (event.erased) seen.erased++;
      }
      // The sample covers what the policies do: all three revisions, both decision paths,
      // denials, evaluation errors and events whose token the mask erased.
      expect(seen.revisions.size).toBe(3);
      expect([...seen.paths].sort()).toEqual(["agents/tools/allow", "envoy/authz/allow"]);
      expect(seen.denied).toBeGreaterThan(100);
      expect(seen.errors).toBeGreaterThan(2);
      expect(seen.erased).toBeGreaterThan(20);
    });
  }

  it("the incident's stripe transfer by agent:fx-quoter is allowed before r43 and denied under r43", () => {
    const demo = generateDemoLogs({ seed: 42, count: 2000 });
    const incident = demo.incident!;
    const [r41, r42, r43] = demo.policyTimeline.opa;
    const sets = compileBundles(demoOpaBundles(demo.policyTimeline));
    const transfer = eventsOf(demo.opaEvents).find((e) => e.input.context?.task_id === incident.taskId && e.input.resource?.id === "mcp://stripe/transfer")!;
    expect(transfer).toBeDefined();
    expect((transfer.input as { subject: { id: string } }).subject.id).toBe("agent:fx-quoter");
    // The incident happens while r42 is in force, and the gateway let the transfer through.
    expect(transfer.bundles["agents-authz"].revision).toBe(r42.revision);
    expect(transfer.result).toEqual({ allow: true, reasons: [] });
    const at = new Date(transfer.timestamp);
    expect(replayOpaEntry(sets.get(r41.revision)!, transfer, at)!.replayed.result).toEqual({ allow: true, reasons: [] });
    const fixed = replayOpaEntry(sets.get(r43.revision)!, transfer, at)!;
    expect(fixed.status).toBe("diverged");
    expect(fixed.replayed.result).toEqual({ allow: false, reasons: ["amount 48500 over the agent limit 10000"] });
  });

  it("is deterministic per seed", () => {
    const a = generateDemoLogs({ seed: 5, count: 1500 });
    const b = generateDemoLogs({ seed: 5, count: 1500 });
    expect(a.opaEvents.equals(b.opaEvents)).toBe(true);
    expect(demoOpaBundles(a.policyTimeline)).toEqual(demoOpaBundles(b.policyTimeline));
    expect(generateDemoLogs({ seed: 6, count: 1500 }).opaEvents.equals(a.opaEvents)).toBe(false);
  });
});

describe("writeDemoOpaBundles", () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-opa-bundles-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes one bundle directory per revision that reads back as the same bundle", () => {
    const bundles = demoOpaBundles(generateDemoLogs({ seed: 42, count: 0 }).policyTimeline);
    const dirs = writeDemoOpaBundles(dir, bundles);
    expect(dirs).toEqual(bundles.map((b) => join(dir, b.revision)));
    bundles.forEach((bundle, i) => {
      // Read back as the app's directory import does: bundle files, .manifest included.
      const walk = (rel: string): string[] =>
        readdirSync(join(dirs[i], rel)).flatMap((n) => (statSync(join(dirs[i], rel, n)).isDirectory() ? walk(join(rel, n)) : [join(rel, n)]));
      const files = walk("")
        .filter(isOpaBundlePath)
        .sort()
        .map((path) => ({ path, content: readFileSync(join(dirs[i], path), "utf8") }));
      expect(files).toEqual([...bundle.files].sort((a, b) => a.path.localeCompare(b.path)));
      expect(bundleRevisionOf(files)).toBe(bundle.revision);
      expect(compileOpaBundle(files).ok).toBe(true);
    });
  });
});
