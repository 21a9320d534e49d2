// Test fixture: a small Cerbos policy repository with a known history, built with the git CLI in
// a temporary directory. Every build carries a unique marker in its policies so versions made by
// one test run never collide with another's in a shared database.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface FixtureCommit {
  hash: string;
  committedAt: Date;
  message: string;
}

export interface FixtureRepo {
  dir: string;
  marker: string;
  /** c1 (max_amount 1000), c2 (max_amount 10000), c3 (README only), c4 (does not compile). */
  commits: { c1: FixtureCommit; c2: FixtureCommit; c3: FixtureCommit; c4: FixtureCommit };
  /** Files of c1 and c2 as written (policy files only). */
  policyFiles: { c1: Record<string, string>; c2: Record<string, string> };
  bundle(path: string): void;
  cleanup(): void;
}

export function documentPolicy(maxAmount: number, marker: string): string {
  return `# ${marker}
apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: document
  importDerivedRoles: [common_roles]
  rules:
    - name: view
      actions: [view]
      effect: EFFECT_ALLOW
      roles: [user]
    - name: edit-small
      actions: [edit]
      effect: EFFECT_ALLOW
      roles: [user]
      condition:
        match:
          expr: R.attr.amount < ${maxAmount}
    - name: owner-delete
      actions: [delete]
      effect: EFFECT_ALLOW
      derivedRoles: [owner]
`;
}

export function derivedRoles(marker: string): string {
  return `# ${marker}
apiVersion: api.cerbos.dev/v1
derivedRoles:
  name: common_roles
  definitions:
    - name: owner
      parentRoles: [user]
      condition:
        match:
          expr: R.attr.owner == P.id
`;
}

const BROKEN_POLICY = (marker: string) => `# ${marker}
apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: report
  importDerivedRoles: [no_such_roles]
  rules:
    - actions: [view]
      effect: EFFECT_ALLOW
      derivedRoles: [ghost]
`;

function gitEnv(date: Date): NodeJS.ProcessEnv {
  const stamp = date.toISOString();
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Pat Policy",
    GIT_AUTHOR_EMAIL: "pat@example.test",
    GIT_COMMITTER_NAME: "Pat Policy",
    GIT_COMMITTER_EMAIL: "pat@example.test",
    GIT_AUTHOR_DATE: stamp,
    GIT_COMMITTER_DATE: stamp,
  };
}

export function buildFixtureRepo(base = new Date("2030-03-01T10:00:00Z")): FixtureRepo {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-policy-repo-"));
  const marker = `fixture ${randomUUID()}`;
  const git = (args: string[], date = base) => execFileSync("git", ["-c", "init.defaultBranch=main", ...args], { cwd: dir, env: gitEnv(date) }).toString().trim();
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (message: string, date: Date): FixtureCommit => {
    git(["add", "-A"], date);
    git(["commit", "-q", "-m", message], date);
    return { hash: git(["rev-parse", "HEAD"], date), committedAt: date, message };
  };
  const at = (hours: number) => new Date(base.getTime() + hours * 3600_000);
  git(["init", "-q"]);

  const c1Files = {
    "resource_policies/document.yaml": documentPolicy(1000, marker),
    "derived_roles/common.yaml": derivedRoles(marker),
    "_schemas/principal.json": `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","description":"${marker}"}\n`,
  };
  for (const [p, t] of Object.entries(c1Files)) write(p, t);
  write("tests/document_test.yaml", "name: suite\n"); // a test suite: not part of the snapshot
  write("README.md", "policies\n");
  const c1 = commit("v1 policies", at(0));

  const c2Files = { ...c1Files, "resource_policies/document.yaml": documentPolicy(10000, marker) };
  write("resource_policies/document.yaml", c2Files["resource_policies/document.yaml"]);
  const c2 = commit("raise max_amount to 10000", at(2));

  write("README.md", "policies, documented\n");
  const c3 = commit("docs only", at(4));

  write("resource_policies/report.yaml", BROKEN_POLICY(marker));
  const c4 = commit("add report policy (broken)", at(6));

  return {
    dir,
    marker,
    commits: { c1, c2, c3, c4 },
    policyFiles: { c1: c1Files, c2: c2Files },
    bundle: (path: string) => void git(["bundle", "create", "-q", path, "--all"]),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
