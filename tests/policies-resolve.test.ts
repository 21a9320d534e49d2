// Integration: which stored policy version was in force for a decision record, by each rung of
// the ladder (policySource hash, stale commit_hash, time inference) and with source preference.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGitRepository, resolveVersionForRecord } from "../lib/policies/index.ts";
import { fixtureDecisionEntry } from "../lib/policies/testing/decision-entries.ts";
import { buildFixtureRepo, type FixtureRepo } from "../lib/policies/testing/fixture-repo.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const BASE = new Date("2041-07-13T08:00:00Z"); // far from other tests' policy commits
let repo: FixtureRepo;
let versionOf: Record<"c1" | "c2" | "c4", string>;

beforeAll(async () => {
  repo = buildFixtureRepo(BASE);
  const imported = await importGitRepository(getPool(), repo.dir); // default source: file://<dir>
  expect(imported[0]!.commit.source).toBe(`file://${repo.dir}`);
  versionOf = { c1: imported[0]!.version.id, c2: imported[1]!.version.id, c4: imported[2]!.version.id };
});
afterAll(() => repo.cleanup());

const hoursAfter = (h: number) => new Date(BASE.getTime() + h * 3600_000);
const entry = (over: Partial<Parameters<typeof fixtureDecisionEntry>[0]>) =>
  fixtureDecisionEntry({ callId: "c", timestamp: hoursAfter(3), amount: 5000, effects: { edit: "EFFECT_ALLOW" }, repositoryUrl: `file://${repo.dir}`, ...over });

describe("resolveVersionForRecord", () => {
  it("uses policySource.git.hash first, even when commit_hash is stale", async () => {
    const { c1, c2 } = repo.commits;
    const r = await resolveVersionForRecord(getPool(), entry({ liveHash: c2.hash, commitHash: c1.hash }), hoursAfter(3));
    expect(r).toMatchObject({ ref: c2.hash, resolvedBy: "policySource", inferred: false, version: { id: versionOf.c2 } });
  });

  it("resolves a head that only touched non-policy files to the version in force", async () => {
    const { c3 } = repo.commits;
    const r = await resolveVersionForRecord(getPool(), entry({ liveHash: c3.hash }), hoursAfter(5));
    expect(r).toMatchObject({ ref: c3.hash, resolvedBy: "policySource", version: { id: versionOf.c2 } });
  });

  it("falls back to the deciding policy's commit_hash when the live hash is absent (fresh clone)", async () => {
    const { c1 } = repo.commits;
    const r = await resolveVersionForRecord(getPool(), entry({ commitHash: c1.hash }), hoursAfter(0.1));
    expect(r).toMatchObject({ ref: c1.hash, resolvedBy: "commit_hash", inferred: false, version: { id: versionOf.c1 } });
  });

  it("skips a live hash it does not know and uses the next rung", async () => {
    const { c1 } = repo.commits;
    const r = await resolveVersionForRecord(getPool(), entry({ liveHash: "f".repeat(40), commitHash: c1.hash }), hoursAfter(1));
    expect(r).toMatchObject({ resolvedBy: "commit_hash", version: { id: versionOf.c1 } });
  });

  it("infers by time from the named source's commits", async () => {
    const { c1, c2, c3, c4 } = repo.commits;
    const at = async (h: number) => resolveVersionForRecord(getPool(), entry({}), hoursAfter(h));
    expect(await at(1)).toMatchObject({ ref: c1.hash, resolvedBy: "time", inferred: true, version: { id: versionOf.c1 } });
    expect(await at(2)).toMatchObject({ ref: c2.hash, resolvedBy: "time", version: { id: versionOf.c2 } }); // at the commit instant
    expect(await at(5)).toMatchObject({ ref: c3.hash, version: { id: versionOf.c2 } });
    expect(await at(100)).toMatchObject({ ref: c4.hash, version: { id: versionOf.c4 } });
    expect(await at(-1)).toBeNull(); // before the first commit of the named source
  });

  it("uses any source for time inference when the record names none", async () => {
    const r = await resolveVersionForRecord(getPool(), entry({ repositoryUrl: undefined }), hoursAfter(1));
    expect(r).toMatchObject({ resolvedBy: "time", inferred: true });
    expect(r!.version.id).toBe(versionOf.c1);
  });

  it("names the last compiling version when the resolved one does not compile", async () => {
    const { c3, c4 } = repo.commits;
    const r = await resolveVersionForRecord(getPool(), entry({ liveHash: c4.hash }), hoursAfter(7));
    expect(r).toMatchObject({ ref: c4.hash, version: { id: versionOf.c4 }, lastCompiling: { ref: c3.hash, version: { id: versionOf.c2 } } });
    const ok = await resolveVersionForRecord(getPool(), entry({ liveHash: c3.hash }), hoursAfter(7));
    expect(ok!.lastCompiling).toBeUndefined();
  });

  it("restricts to a given source", async () => {
    const r = await resolveVersionForRecord(getPool(), entry({ liveHash: repo.commits.c2.hash }), hoursAfter(3), { source: "no-such-source" });
    expect(r).toBeNull();
  });
});
