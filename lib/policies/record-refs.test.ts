import { describe, expect, it } from "vitest";
import { normalizeRepositoryUrl, policyRefsOf, sourceMatchesRecord } from "./record-refs.ts";

describe("policyRefsOf", () => {
  it("reads the live hash, the deciding policy's commit_hash first, and the named store", () => {
    const refs = policyRefsOf({
      checkResources: { outputs: [{ actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.b.vdefault" }, x: { policy: "NO_MATCH" } } }] },
      auditTrail: {
        effectivePolicies: {
          "resource.a.vdefault": { attributes: { driver: "git", commit_hash: "aaa" } },
          "resource.b.vdefault": { attributes: { driver: "git", commit_hash: "bbb" } },
        },
      },
      policySource: { git: { repositoryUrl: "https://github.com/acme/policies.git", subdirectory: ".", hash: "ccc" } },
    });
    expect(refs).toMatchObject({ liveRef: "ccc", commitHashes: ["bbb", "aaa"], repositoryUrl: "https://github.com/acme/policies.git", subdirectory: "." });
  });

  it("reads OPA bundle revisions and hub bundle ids", () => {
    expect(policyRefsOf({ bundles: { authz: { revision: "r7" } } }).bundleRevisions).toEqual([{ bundle: "authz", revision: "r7" }]);
    expect(policyRefsOf({ policySource: { hub: { remoteBundle: { bundleId: "B1" } } } }).liveRef).toBe("B1");
    expect(policyRefsOf({})).toEqual({ commitHashes: [], bundleRevisions: [] });
  });
});

describe("source matching", () => {
  it("compares repository URLs without scheme, user or .git, and the subdirectory", () => {
    expect(normalizeRepositoryUrl("git@github.com:acme/policies.git")).toBe("github.com/acme/policies");
    expect(normalizeRepositoryUrl("https://user@github.com/acme/policies/")).toBe("github.com/acme/policies");
    const refs = { commitHashes: [], bundleRevisions: [], repositoryUrl: "https://github.com/acme/policies.git", subdirectory: "." };
    expect(sourceMatchesRecord("git@github.com:acme/policies.git", refs)).toBe(true);
    expect(sourceMatchesRecord("git@github.com:acme/policies.git#cerbos", refs)).toBe(false);
    expect(sourceMatchesRecord("git@github.com:acme/policies.git#cerbos", { ...refs, subdirectory: "cerbos/" })).toBe(true);
    expect(sourceMatchesRecord("/srv/policies", { commitHashes: [], bundleRevisions: [], diskDirectory: "/srv/policies/" })).toBe(true);
    expect(sourceMatchesRecord("other", { commitHashes: [], bundleRevisions: [] })).toBe(false);
  });
});
