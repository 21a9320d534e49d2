import { describe, expect, it } from "vitest";
import { loadBundleFiles } from "./bundle.ts";
import { compileRego } from "./engine.ts";
import { toJsonText } from "./values/json.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("Rego bundles", () => {
  it("places data files at their directory path and evaluates against them", () => {
    const bundle = loadBundleFiles([
      { path: ".manifest", bytes: enc('{"revision":"abc"}') },
      { path: "authz/policy.rego", bytes: enc("package authz\ndefault allow := false\nallow if data.authz.admins[input.user]\n") },
      { path: "authz/data.json", bytes: enc('{"admins": {"alice": true}}') },
    ]);
    expect(bundle.revision).toBe("abc");
    const compiled = compileRego(bundle.modules, bundle.data);
    const allowed = compiled.query("x := data.authz.allow");
    expect(toJsonText(allowed.bindings[0].get("x")!)).toBe("false");
  });
});
