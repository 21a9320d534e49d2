// Explanations: deciding policy and rule, scope, derived roles, each condition's value or error.
import { describe, expect, it } from "vitest";
import { compileCerbosDirectory } from "./engine.ts";
import { FIXTURE_POLICIES_DIR } from "./testing/fixture-vocabulary.ts";

const ps = compileCerbosDirectory(FIXTURE_POLICIES_DIR).policySet!;
const now = new Date("2026-01-01T00:00:00Z");

describe("explain", () => {
  it("names the deciding rule, active derived roles and condition values", () => {
    const out = ps.check(
      { requestId: "x", principal: { id: "bob", roles: ["user"], attr: { level: 1 } }, resource: { kind: "document", id: "d", attr: { owner: "bob", status: "published" } }, actions: ["view", "delete"] },
      { now, explain: true },
    );
    const e = out.explanation!;
    expect(e.actions.view).toMatchObject({ effect: "EFFECT_ALLOW", policy: "resource.document.vdefault", scope: "", rule: "resource.document.vdefault#owner-edit" });
    expect(e.actions.view!.rules[0]).toMatchObject({ derivedRole: "owner", outcome: "activated", conditions: [{ expression: "R.attr.owner == P.id", value: true }] });
    expect(e.actions.delete).toMatchObject({ effect: "EFFECT_DENY", rule: "resource.document.vdefault#no-delete-published" });
    expect(e.derivedRoles).toContainEqual({ scope: "", name: "owner", active: true, conditions: [{ expression: "R.attr.owner == P.id", value: true }] });
    expect(e.derivedRoles.find((d) => d.name === "senior")).toMatchObject({ active: false, conditions: [{ expression: "V.level_ok", value: false }] });
    expect(e.variables).toContainEqual({ name: "under_limit", expression: "R.attr.amount < C.max_amount", error: "no such key: amount" });
  });

  it("reports the scope that decided and condition errors", () => {
    const out = ps.check(
      { requestId: "x", principal: { id: "carol", roles: ["user"], attr: { teams: ["hr"] } }, resource: { kind: "document", id: "d", scope: "acme.hr", attr: { owner: "bob" } }, actions: ["view", "approve"] },
      { now, explain: true },
    );
    expect(out.actions.view).toEqual({ effect: "EFFECT_DENY", policy: "resource.document.vdefault/acme.hr" });
    const approve = out.explanation!.actions.approve!;
    expect(approve.rules.some((r) => r.conditions.some((c) => c.error === "no such key: amount"))).toBe(true);
    expect(out.evaluationErrors).toContainEqual({ celError: { expression: "R.attr.amount > 10 && P.attr.level >= 2u", message: "no such key: amount" } });
  });

  it("costs nothing when not asked for", () => {
    const out = ps.check({ requestId: "x", principal: { id: "bob", roles: ["user"] }, resource: { kind: "document", id: "d" }, actions: ["view"] }, { now });
    expect(out.explanation).toBeUndefined();
  });
});
