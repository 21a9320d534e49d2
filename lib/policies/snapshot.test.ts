import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicyDirectory } from "../engine/cerbos/index.ts";
import { contentHashOf, isCerbosSnapshotPath, looksLikeOpaBundle, stripCommonTopFolder, toCerbosSources } from "./snapshot.ts";

function allFiles(root: string, prefix = ""): string[] {
  return readdirSync(join(root, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(root, rel)).isDirectory() ? allFiles(root, rel) : [rel];
  });
}

describe("policy snapshots", () => {
  it("selects the same files as the engine's directory loader", () => {
    const dir = new URL("../engine/cerbos/testdata/policies", import.meta.url).pathname;
    const loaded = loadPolicyDirectory(dir);
    const expected = [...loaded.policies.map((p) => p.path), ...loaded.schemas.map((s) => `_schemas/${s.path}`)].sort();
    expect(allFiles(dir).filter(isCerbosSnapshotPath).sort()).toEqual(expected);
  });

  it("follows the Cerbos store rules for tests, testdata, hidden files and schemas", () => {
    expect(isCerbosSnapshotPath("resource_policies/doc.yaml")).toBe(true);
    expect(isCerbosSnapshotPath("doc.JSON")).toBe(true);
    expect(isCerbosSnapshotPath("tests/doc_test.yaml")).toBe(false);
    expect(isCerbosSnapshotPath("a/testdata/x.yaml")).toBe(false);
    expect(isCerbosSnapshotPath(".github/workflows/ci.yml")).toBe(false);
    expect(isCerbosSnapshotPath("README.md")).toBe(false);
    expect(isCerbosSnapshotPath("_schemas/x.json")).toBe(true);
    expect(isCerbosSnapshotPath("_schemas/x.yaml")).toBe(false);
  });

  it("hashes content independently of file order and splits schemas for the compiler", () => {
    const a = [{ path: "b.yaml", content: "b" }, { path: "_schemas/s.json", content: "{}" }];
    expect(contentHashOf(a)).toBe(contentHashOf([...a].reverse()));
    expect(contentHashOf(a)).not.toBe(contentHashOf([{ path: "b.yaml", content: "b2" }, a[1]!]));
    expect(contentHashOf([])).toMatch(/^[0-9a-f]{64}$/);
    expect(() => contentHashOf([a[0]!, a[0]!])).toThrow(/duplicate/);
    expect(toCerbosSources(a)).toEqual({ policies: [{ path: "b.yaml", text: "b" }], schemas: [{ path: "s.json", text: "{}" }] });
  });

  it("strips one shared top folder but never _schemas", () => {
    expect(stripCommonTopFolder([{ path: "p/a.yaml" }, { path: "p/_schemas/s.json" }]).map((e) => e.path)).toEqual(["a.yaml", "_schemas/s.json"]);
    expect(stripCommonTopFolder([{ path: "p/a.yaml" }, { path: "q/b.yaml" }]).map((e) => e.path)).toEqual(["p/a.yaml", "q/b.yaml"]);
    expect(stripCommonTopFolder([{ path: "_schemas/a.json" }]).map((e) => e.path)).toEqual(["_schemas/a.json"]);
    expect(stripCommonTopFolder([{ path: "p/a.yaml" }, { path: "top.yaml" }]).map((e) => e.path)).toEqual(["p/a.yaml", "top.yaml"]);
  });

  it("recognises OPA bundles", () => {
    expect(looksLikeOpaBundle([".manifest", "data.json"])).toBe(true);
    expect(looksLikeOpaBundle(["authz/policy.rego"])).toBe(true);
    expect(looksLikeOpaBundle(["resource_policies/doc.yaml", "data.json"])).toBe(false);
  });
});
