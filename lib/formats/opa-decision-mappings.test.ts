import { afterEach, describe, expect, it } from "vitest";
import { effectUnderMapping, mappingFor, opaDecisionMappingsSchema, setOpaDecisionMappings } from "./opa-decision-mappings.ts";
import { opaEffect } from "./opa-hops.ts";

describe("OPA decision mappings", () => {
  afterEach(() => setOpaDecisionMappings([]));

  it("maps a verdict inside the result, with expected value and negation", () => {
    const m = { path: "envoy/authz/allow", allowedPath: "decision.ok", expect: "yes", negated: false };
    expect(effectUnderMapping({ decision: { ok: "yes" } }, m)).toBe("allow");
    expect(effectUnderMapping({ decision: { ok: "no" } }, m)).toBe("deny");
    expect(effectUnderMapping({ other: 1 }, m)).toBe("unknown");
    expect(effectUnderMapping(true, { path: "x/deny", allowedPath: "", expect: true, negated: true })).toBe("deny");
  });

  it("matches paths exactly or by a trailing /*, ignoring a leading slash and /v1/data/", () => {
    const ms = [
      { path: "a/b/allow", allowedPath: "", expect: true, negated: false },
      { path: "tools/*", allowedPath: "permit", expect: true, negated: false },
    ];
    expect(mappingFor("/v1/data/a/b/allow", ms)?.path).toBe("a/b/allow");
    expect(mappingFor("tools/x/allow", ms)?.path).toBe("tools/*");
    expect(mappingFor("other", ms)).toBeUndefined();
  });

  it("overrides the defaults in opaEffect for configured paths only", () => {
    setOpaDecisionMappings([{ path: "custom/decision", allowedPath: "verdict", expect: "permit", negated: false }]);
    expect(opaEffect({ path: "custom/decision", result: { verdict: "permit" } })).toBe("allow");
    expect(opaEffect({ path: "custom/decision", result: { allow: true, verdict: "refuse" } })).toBe("deny");
    expect(opaEffect({ path: "other/allow", result: { allow: true } })).toBe("allow");
    expect(opaEffect({ path: "custom/decision", error: { code: "eval_conflict_error" } })).toBe("error");
  });

  it("validates the configuration file shape with messages naming the field", () => {
    const bad = opaDecisionMappingsSchema.safeParse({ mappings: [{ path: "", bogus: 1 }] });
    expect(bad.success).toBe(false);
    const good = opaDecisionMappingsSchema.parse({ mappings: [{ path: "a/allow" }] });
    expect(good.mappings[0]).toMatchObject({ path: "a/allow", allowedPath: "", negated: false });
  });
});
