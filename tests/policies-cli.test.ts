// `hindsight policies import|list|diff`: the output contracts other tooling parses.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../bin/cli.ts";
import { buildFixtureRepo, type FixtureRepo } from "../lib/policies/testing/fixture-repo.ts";
import { useTestDatabase } from "./setup/db.ts";

useTestDatabase();
let repo: FixtureRepo;
let work: string;

async function run(args: string[]) {
  const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
  let out = "";
  let err = "";
  io.stdout.on("data", (d: Buffer) => (out += d.toString()));
  io.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await main(args, io);
  return { code, out, err };
}

beforeAll(() => {
  repo = buildFixtureRepo(new Date("2043-02-01T00:00:00Z"));
  work = mkdtempSync(join(tmpdir(), "hindsight-policies-cli-"));
});
afterAll(() => {
  repo.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const LINE = /^(\d+) (\S+) ([0-9a-f]{12}) (created|existing) (compiles|\d+ compile errors)$/;

describe("hindsight policies", () => {
  it("import prints one line per version, then `existing` on a second run", async () => {
    const { c1, c2, c4 } = repo.commits;
    const first = await run(["policies", "import", repo.dir, "--name", `cli-${repo.marker}`]);
    expect(first.code).toBe(0);
    const lines = first.out.trim().split("\n");
    expect(lines.map((l) => LINE.exec(l)?.slice(2))).toEqual([
      [c1.hash.slice(0, 7), expect.any(String), "created", "compiles"],
      [c2.hash.slice(0, 7), expect.any(String), "created", "compiles"],
      [c4.hash.slice(0, 7), expect.any(String), "created", "2 compile errors"],
    ]);
    expect(first.err).toContain(`imported 3 versions (3 new) from ${repo.dir} as source cli-${repo.marker}`);

    const again = await run(["policies", "import", repo.dir, "--name", `cli-${repo.marker}`, "--json"]);
    const json = JSON.parse(again.out) as { version: { id: string; label: string }; commit: { ref: string; source: string }; created: boolean }[];
    expect(json.map((i) => [i.commit.ref, i.created])).toEqual([
      [c1.hash, false],
      [c2.hash, false],
      [c4.hash, false],
    ]);
    expect(json[0]!.version.id).toBe(LINE.exec(lines[0]!)![1]);
  });

  it("list and diff show stored versions", async () => {
    const list = await run(["policies", "list", "--json"]);
    const versions = JSON.parse(list.out) as { id: string; label: string }[];
    const v1 = versions.find((v) => v.label === repo.commits.c1.hash.slice(0, 7))!;
    const v2 = versions.find((v) => v.label === repo.commits.c2.hash.slice(0, 7))!;
    expect((await run(["policies", "list"])).out).toContain(`${v1.id} ${v1.label} `);
    const diff = await run(["policies", "diff", v1.id, repo.commits.c2.hash.slice(0, 10)]);
    expect(diff.code).toBe(0);
    expect(diff.out).toContain("changed  resource_policies/document.yaml (+1 -1)");
    expect(diff.out).toContain("+          expr: R.attr.amount < 10000");
    const show = await run(["policies", "show", repo.commits.c4.hash.slice(0, 9)]);
    expect(show.out).toContain("2 compile errors");
    expect(show.out).toContain(`commit ${repo.commits.c4.hash} `);
    expect(show.out).toContain("file resource_policies/report.yaml");
    const shown = JSON.parse((await run(["policies", "show", v2.id, "--json"])).out);
    expect(shown.commits.map((c: { ref: string }) => c.ref)).toEqual([repo.commits.c2.hash, repo.commits.c3.hash]);
  });

  it("imports OPA bundles; refuses missing paths and bad usage", async () => {
    const src = join(work, "opa");
    mkdirSync(join(src, "authz"), { recursive: true });
    writeFileSync(join(src, ".manifest"), '{"revision":"r1"}');
    writeFileSync(join(src, "authz/p.rego"), "package authz\n");
    const bundle = join(work, "bundle.tar.gz");
    execFileSync("tar", ["-czf", bundle, "-C", src, ".manifest", "authz"]);
    const opa = await run(["policies", "import", bundle]);
    expect(opa.code).toBe(0);
    expect(opa.out).toMatch(/ r1 [0-9a-f]{12} (created|existing) /);
    expect((await run(["policies", "import", join(work, "missing")])).err).toContain("no such file or directory");
    expect((await run(["policies", "import"])).code).toBe(2);
    expect((await run(["policies", "bogus"])).code).toBe(2);
  });
});
