// Integration: policy history in the real database — git history (repository and bundle),
// directory and archive imports, idempotence, queries, diffs and compiled versions.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commitsOf,
  compiledVersion,
  contentHashOf,
  diffVersions,
  findVersion,
  getVersion,
  getVersionFiles,
  importArchive,
  importDirectory,
  importGitRepository,
  importPolicies,
  listVersions,
  PolicyVersionCompileError,
  storeVersion,
} from "../lib/policies/index.ts";
import { compiledVersionCount } from "../lib/policies/compiled.ts";
import { buildFixtureRepo, documentPolicy, type FixtureRepo } from "../lib/policies/testing/fixture-repo.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
let repo: FixtureRepo;
let work: string;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), t);
  }
}

async function countRows(): Promise<Record<string, number>> {
  const { rows } = await getPool().query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM policy_blobs) AS blobs, (SELECT count(*)::int FROM policy_versions) AS versions,
            (SELECT count(*)::int FROM policy_version_files) AS files, (SELECT count(*)::int FROM policy_commits) AS commits`,
  );
  return rows[0]!;
}

beforeAll(() => {
  repo = buildFixtureRepo();
  work = mkdtempSync(join(tmpdir(), "hindsight-policies-test-"));
});
afterAll(() => {
  repo.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe("policy history from git", () => {
  it("imports each policy-changing commit as a version with its metadata and compile errors", async () => {
    const pool = getPool();
    const imported = await importGitRepository(pool, repo.dir, { source: `repo-${repo.marker}` });
    const { c1, c2, c3, c4 } = repo.commits;
    expect(imported.map((i) => i.commit.ref)).toEqual([c1.hash, c2.hash, c4.hash]);
    expect(imported.every((i) => i.created)).toBe(true);
    const [v1, v2, v4] = imported.map((i) => i.version);
    expect(v1!.label).toBe(c1.hash.slice(0, 7));
    expect(v1!.fileCount).toBe(3); // the test suite and README are not policy files
    expect(v1!.compileErrors).toBeNull();
    expect(v2!.compileErrors).toBeNull();
    expect(v4!.compileErrors?.map((e) => e.file)).toEqual(["resource_policies/report.yaml", "resource_policies/report.yaml"]);
    expect(v4!.compileErrors?.[0]).toMatchObject({ line: 6, message: expect.stringContaining("no_such_roles") });
    expect(imported[1]!.commit).toMatchObject({ author: "Pat Policy <pat@example.test>", message: "raise max_amount to 10000", committedAt: c2.committedAt });

    const files = await getVersionFiles(pool, v1!.id);
    expect(files.map((f) => f.path)).toEqual(["_schemas/principal.json", "derived_roles/common.yaml", "resource_policies/document.yaml"]);
    expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toEqual(repo.policyFiles.c1);
    expect(v1!.contentHash).toBe(contentHashOf(files));

    // The README-only commit is recorded against the version in force (c2's), not as a version.
    const v2Commits = await commitsOf(pool, v2!.id);
    expect(v2Commits.map((c) => c.ref)).toEqual([c2.hash, c3.hash]);
    expect(await findVersion(pool, c3.hash)).toMatchObject({ id: v2!.id });
  });

  it("is idempotent: a second import creates nothing", async () => {
    const pool = getPool();
    const before = await countRows();
    const again = await importGitRepository(pool, repo.dir, { source: `repo-${repo.marker}` });
    expect(again.map((i) => i.created)).toEqual([false, false, false]);
    expect(await countRows()).toEqual(before);
  });

  it("imports a git bundle: same snapshots, commits under the bundle's source", async () => {
    const pool = getPool();
    const bundle = join(work, "policies.bundle");
    repo.bundle(bundle);
    const before = await countRows();
    const imported = await importPolicies(pool, bundle, { source: `bundle-${repo.marker}` });
    expect(imported.map((i) => i.commit.ref)).toEqual([repo.commits.c1.hash, repo.commits.c2.hash, repo.commits.c4.hash]);
    expect(imported.map((i) => i.created)).toEqual([false, false, false]); // content already stored from the repository
    expect(imported.map((i) => i.commit.source)).toEqual(Array(3).fill(`bundle-${repo.marker}`));
    const after = await countRows();
    expect(after.versions).toBe(before.versions);
    expect(after.commits).toBe(before.commits + 4);
  });
});

describe("policy history from a subdirectory", () => {
  it("imports only commits that change policies under --subdir and names the source after it", async () => {
    const pool = getPool();
    const dir = join(work, "subdir-repo");
    mkdirSync(dir);
    const git = (args: string[], when: string) =>
      execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "user.name=T", "-c", "user.email=t@x", ...args], {
        cwd: dir,
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
      });
    git(["init", "-q"], "2042-01-01T00:00:00Z");
    writeTree(dir, { "cerbos/resource_policies/document.yaml": documentPolicy(1, repo.marker), "app/config.yaml": "a: 1\n" });
    git(["add", "-A"], "2042-01-01T00:00:00Z");
    git(["commit", "-q", "-m", "one"], "2042-01-01T00:00:00Z");
    writeTree(dir, { "app/config.yaml": "a: 2\n" }); // a policy-looking file outside the subdirectory
    git(["commit", "-q", "-am", "app only"], "2042-01-02T00:00:00Z");
    writeTree(dir, { "cerbos/resource_policies/document.yaml": documentPolicy(2, repo.marker) });
    git(["commit", "-q", "-am", "two"], "2042-01-03T00:00:00Z");

    const imported = await importGitRepository(pool, dir, { subdir: "./cerbos/" });
    expect(imported).toHaveLength(2);
    expect(imported[0]!.commit.source).toBe(`file://${dir}#cerbos`);
    expect((await getVersionFiles(pool, imported[0]!.version.id)).map((f) => f.path)).toEqual(["resource_policies/document.yaml"]);
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM policy_commits WHERE source = $1", [`file://${dir}#cerbos`]);
    expect(rows[0]!.n).toBe(3); // the app-only commit is recorded against the version in force

    const { resolveVersionForRecord } = await import("../lib/policies/index.ts");
    const record = { policySource: { git: { repositoryUrl: `file://${dir}.git`, subdirectory: "cerbos", branch: "main" } } };
    const resolved = await resolveVersionForRecord(pool, record, new Date("2042-01-02T12:00:00Z"));
    expect(resolved).toMatchObject({ resolvedBy: "time", version: { id: imported[0]!.version.id } });
  });
});

describe("directory and archive imports", () => {
  it("imports a directory as one version and reuses identical content", async () => {
    const pool = getPool();
    const dir = join(work, "policies-dir");
    writeTree(dir, { ...repo.policyFiles.c2, "tests/x_test.yaml": "x", ".hidden/a.yaml": "x", "testdata/a.yaml": "x", "notes.txt": "x" });
    const first = await importDirectory(pool, dir, { source: `dir-${repo.marker}` });
    const fromGit = await findVersion(pool, repo.commits.c2.hash);
    expect(first.version.id).toBe(fromGit!.id); // same content as commit c2
    expect(first.created).toBe(false);
    expect(first.commit.ref).toMatch(/^import:\d{4}-/);
    const before = await countRows();
    const again = await importDirectory(pool, dir, { source: `dir-${repo.marker}` });
    expect(again.commit.ref).toBe(first.commit.ref);
    expect(await countRows()).toEqual(before);

    writeTree(dir, { "resource_policies/document.yaml": documentPolicy(5, repo.marker) });
    const changed = await importDirectory(pool, dir, { source: `dir-${repo.marker}` });
    expect(changed.created).toBe(true);
    expect(changed.version.label).toBe("policies-dir");
    expect(changed.version.compileErrors).toBeNull();
  });

  it("imports zip and tar.gz archives, stripping one top folder", async () => {
    const pool = getPool();
    const zip = join(work, "policies-v1.zip");
    writeFileSync(zip, zipSync(Object.fromEntries(Object.entries(repo.policyFiles.c1).map(([p, t]) => [`policies/${p}`, strToU8(t)]))));
    const fromZip = await importArchive(pool, zip, { source: `zip-${repo.marker}` });
    expect(fromZip.version.id).toBe((await findVersion(pool, repo.commits.c1.hash))!.id);

    const tree = join(work, "tgz-src");
    writeTree(join(tree, "bundle-root"), { ...repo.policyFiles.c1, "resource_policies/document.yaml": documentPolicy(7, repo.marker) });
    const tgz = join(work, "policies-v7.tar.gz");
    execFileSync("tar", ["-czf", tgz, "-C", tree, "bundle-root"]);
    const fromTgz = await importPolicies(pool, tgz, { source: `tgz-${repo.marker}` });
    expect(fromTgz).toHaveLength(1);
    expect(fromTgz[0]!.created).toBe(true);
    expect(fromTgz[0]!.version.label).toBe("policies-v7");
    const files = await getVersionFiles(pool, fromTgz[0]!.version.id);
    expect(files.map((f) => f.path)).toEqual(["_schemas/principal.json", "derived_roles/common.yaml", "resource_policies/document.yaml"]);
  });

  it("imports an OPA bundle archive as an opa version named by its manifest revision", async () => {
    const bundle = join(work, "opa.tar.gz");
    const tree = join(work, "opa-src");
    writeTree(tree, { ".manifest": '{"revision":"r1-policies-test"}', "data.json": "{}", "authz/policy.rego": "package authz\n\ndefault allow := false\n" });
    execFileSync("tar", ["-czf", bundle, "-C", tree, ".manifest", "data.json", "authz"]);
    const imported = await importArchive(getPool(), bundle);
    expect(imported.version).toMatchObject({ engine: "opa", label: "r1-policies-test", compileErrors: null });
    expect(imported.commit.ref).toBe("r1-policies-test");
    // A bundle whose Rego does not parse is stored with its compile errors, like a broken Cerbos set.
    const broken = join(work, "opa-broken.tar.gz");
    writeTree(join(work, "opa-broken"), { ".manifest": '{"revision":"r2-policies-test"}', "authz/policy.rego": "package authz\n\nallow if {\n" });
    execFileSync("tar", ["-czf", broken, "-C", join(work, "opa-broken"), ".manifest", "authz"]);
    expect((await importArchive(getPool(), broken)).version.compileErrors?.length).toBeGreaterThan(0);
  });
});

describe("queries, diffs and compiled versions", () => {
  it("finds versions by id, content hash prefix, commit prefix and label", async () => {
    const pool = getPool();
    const v2 = (await findVersion(pool, repo.commits.c2.hash))!;
    expect(await findVersion(pool, v2.id)).toMatchObject({ id: v2.id });
    expect(await findVersion(pool, v2.contentHash.slice(0, 9))).toMatchObject({ id: v2.id });
    expect(await findVersion(pool, repo.commits.c2.hash.slice(0, 8))).toMatchObject({ id: v2.id });
    expect(await findVersion(pool, v2.label)).toMatchObject({ id: v2.id });
    expect(await findVersion(pool, "no-such-version")).toBeNull();
    for (let i = 0; i < 11; i++) {
      // enough versions for ids of two digits, where text order and numeric order differ
      await storeVersion(pool, { engine: "cerbos", source: `many-${repo.marker}`, label: `many-${i}`, files: [{ path: "x.yaml", content: `# ${repo.marker} ${i}` }], ref: `r${i}`, committedAt: new Date() });
    }
    const all = await listVersions(pool);
    expect(all.some((v) => v.id === v2.id)).toBe(true);
    const ids = all.map((v) => BigInt(v.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0))); // numeric, not text, order
    expect(await getVersion(pool, "999999999")).toBeNull();
  });

  it("diffs two versions per file with a unified diff for changed files", async () => {
    const pool = getPool();
    const v1 = (await findVersion(pool, repo.commits.c1.hash))!;
    const v4 = (await findVersion(pool, repo.commits.c4.hash))!;
    const diff = await diffVersions(pool, v1.id, v4.id);
    expect(diff.files.map((f) => [f.path, f.status])).toEqual([
      ["_schemas/principal.json", "same"],
      ["derived_roles/common.yaml", "same"],
      ["resource_policies/document.yaml", "changed"],
      ["resource_policies/report.yaml", "added"],
    ]);
    const changed = diff.files[2]!;
    expect(changed).toMatchObject({ additions: 1, deletions: 1 });
    expect(changed.unifiedDiff).toContain("--- a/resource_policies/document.yaml");
    expect(changed.unifiedDiff).toContain("-          expr: R.attr.amount < 1000");
    expect(changed.unifiedDiff).toContain("+          expr: R.attr.amount < 10000");
  });

  it("compiles a version once and refuses one stored with compile errors", async () => {
    const pool = getPool();
    const v2 = (await findVersion(pool, repo.commits.c2.hash))!;
    const before = compiledVersionCount();
    const [a, b] = await Promise.all([compiledVersion(pool, v2.id), compiledVersion(pool, v2.id)]);
    expect(a).toBe(b);
    expect(await compiledVersion(pool, v2.id)).toBe(a);
    expect(compiledVersionCount()).toBe(before + 1);
    const out = a.check(
      { requestId: "r", principal: { id: "u", roles: ["user"], attr: {}, policyVersion: "", scope: "" }, resource: { kind: "document", id: "d", attr: { amount: 5000 }, policyVersion: "", scope: "" }, actions: ["edit"] },
      { now: new Date() },
    );
    expect(out.actions.edit!.effect).toBe("EFFECT_ALLOW");
    const v4 = (await findVersion(pool, repo.commits.c4.hash))!;
    await expect(compiledVersion(pool, v4.id)).rejects.toThrow(PolicyVersionCompileError);
  });

  it("stores a snapshot directly and keys it by content", async () => {
    const pool = getPool();
    const files = [{ path: "b.yaml", content: `# ${repo.marker} b` }, { path: "a.yaml", content: "not: [valid" }];
    const stored = await storeVersion(pool, { engine: "cerbos", source: `direct-${repo.marker}`, label: "direct", files, ref: "r1", committedAt: new Date("2030-01-01T00:00:00Z"), author: null, message: null });
    expect(stored.created).toBe(true);
    expect(stored.version.contentHash).toBe(contentHashOf([...files].reverse()));
    expect(stored.version.compileErrors?.length).toBeGreaterThan(0); // stored, not rejected
    const again = await storeVersion(pool, { engine: "cerbos", source: `direct-${repo.marker}`, label: "other", files, ref: "r2", committedAt: new Date("2030-01-02T00:00:00Z") });
    expect(again).toMatchObject({ created: false, version: { id: stored.version.id, label: "direct" }, commit: { ref: "r2", versionId: stored.version.id } });
  });
});
