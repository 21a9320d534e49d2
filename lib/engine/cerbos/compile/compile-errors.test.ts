// Broken policy sets must be rejected with file and line, as `cerbos compile` rejects them; when
// the real Cerbos binary can run, it is asked too and must agree that each set is invalid.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileCerbosDirectory } from "../engine.ts";
import { findCerbosBinary } from "../testing/cerbos-server.ts";
import { FIXTURE_POLICIES_DIR } from "../testing/fixture-vocabulary.ts";

const BASE = `apiVersion: api.cerbos.dev/v1
resourcePolicy:
  resource: doc
  version: default
  rules:
    - actions: [view]
      roles: [user]
      effect: EFFECT_ALLOW
`;
const EXPORT_VARIABLES = `apiVersion: api.cerbos.dev/v1
exportVariables:
  name: ev
  definitions:
    a: "2"
`;

/** name → [policy text, expected line of the first error (as cerbos compile reports it), message fragment] */
const CASES: Record<string, [string, number | undefined, RegExp]> = {
  bad_cel: [BASE + "      condition:\n        match:\n          expr: R.attr.x ==\n", 11, /Invalid expression `R.attr.x ==`/],
  unknown_derived_role: [BASE.replace("roles: [user]", "derivedRoles: [nope]"), 7, /Derived role "nope" is not defined in any imports/],
  missing_import: [BASE.replace("  rules:", "  importDerivedRoles: [ghost]\n  rules:"), 5, /"ghost" cannot be found/],
  undefined_variable: [BASE + "      condition:\n        match:\n          expr: V.nope == 1\n", 11, /Undefined variable 'nope'/],
  undefined_constant: [BASE + "      condition:\n        match:\n          expr: C.nope == 1\n", 11, /Undefined constant 'nope'/],
  no_roles: [BASE.replace("      roles: [user]\n", ""), 6, /does not specify any roles or derived roles/],
  bad_effect: [BASE.replace("EFFECT_ALLOW", "EFFECT_MAYBE"), 8, /effect must be/],
  bad_scope: [BASE.replace("  version: default", "  version: default\n  scope: '-bad'"), 5, /invalid scope/],
  missing_ancestor: [BASE.replace("  version: default", "  version: default\n  scope: acme.hr"), undefined, /Missing ancestor policy cerbos.resource.doc.vdefault\/acme required/],
  duplicate_variable: [BASE.replace("  rules:", '  variables:\n    local:\n      a: "1"\n    import: [ev]\n  rules:') + "      condition:\n        match:\n          expr: V.a == 1\n", 3, /Variable 'a' has multiple definitions/],
  empty_output: [BASE + "      output: {}\n", 9, /output must have at least one expression/],
  yaml_error: ["apiVersion: api.cerbos.dev/v1\nresourcePolicy: [\n", undefined, /./],
  unknown_field: [BASE + "      unknownField: 1\n", 9, /unknown field "unknownField"/],
};

function writeCase(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hindsight-compile-${name}-`));
  mkdirSync(join(dir, "resource_policies"));
  writeFileSync(join(dir, "resource_policies", "policy.yaml"), text);
  if (name === "duplicate_variable") writeFileSync(join(dir, "ev.yaml"), EXPORT_VARIABLES);
  return dir;
}

const cerbos = findCerbosBinary();

describe("policy compile errors", () => {
  for (const [name, [text, line, message]] of Object.entries(CASES)) {
    it(name, () => {
      const dir = writeCase(name, text);
      const result = compileCerbosDirectory(dir);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const first = result.errors[0]!;
      expect(first.file).toMatch(/policy\.yaml$/);
      expect(result.errors.map((e) => e.message).join("\n")).toMatch(message);
      if (line !== undefined) expect(first.line).toBe(line);
      if (cerbos.path) {
        // The reference agrees the set is invalid (exit code 3: compile errors).
        expect(spawnSync(cerbos.path, ["compile", dir], { encoding: "utf8" }).status).toBe(3);
      }
    });
  }

  it("reads an unquoted numeric version as its digits, as cerbos compile does", () => {
    const dir = writeCase("numeric_version", BASE.replace("version: default", "version: 20210210"));
    const result = compileCerbosDirectory(dir);
    expect(result.ok).toBe(true);
    const out = result.policySet!.check({ principal: { id: "u", roles: ["user"] }, resource: { kind: "doc", id: "d", policyVersion: "20210210" }, actions: ["view"] }, { now: new Date() });
    expect(out.actions.view).toEqual({ effect: "EFFECT_ALLOW", policy: "resource.doc.v20210210" });
    if (cerbos.path) expect(spawnSync(cerbos.path, ["compile", dir], { encoding: "utf8" }).status).toBe(0);
  });

  it("accepts the feature fixture policies, as cerbos compile does", () => {
    expect(compileCerbosDirectory(FIXTURE_POLICIES_DIR).ok).toBe(true);
    if (cerbos.path) expect(spawnSync(cerbos.path, ["compile", FIXTURE_POLICIES_DIR], { encoding: "utf8" }).status).toBe(0);
  });
});
