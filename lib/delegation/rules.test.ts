import { describe, expect, it } from "vitest";
import { CERBOS_DEFAULT_RULES, parseExtractionConfig, resolveRules, rulesForSource } from "./rules.ts";
import { cerbosEntry, factsOf } from "./testdata/parse.ts";

describe("extraction rules per PDP source", () => {
  const config = parseExtractionConfig({
    default: { taskId: ["requestContext.annotations.job"] },
    sources: {
      "pdp-eu-1": { taskId: ["principal.attr.ticket"] },
      "pdp-eu-*": { agentIdPattern: "^bot-" },
      "pdp-*": { humanIdPattern: "@acme$" },
    },
  });

  it("exact instance beats globs, longest glob beats shorter, default underneath", () => {
    expect(rulesForSource("pdp-eu-1", config)).toEqual({ taskId: ["principal.attr.ticket"] });
    expect(rulesForSource("pdp-eu-2", config)).toEqual({ taskId: ["requestContext.annotations.job"], agentIdPattern: "^bot-" });
    expect(rulesForSource("pdp-us-1", config)).toEqual({ taskId: ["requestContext.annotations.job"], humanIdPattern: "@acme$" });
    expect(rulesForSource(null, config)).toEqual({ taskId: ["requestContext.annotations.job"] });
  });

  it("unset fields keep the engine defaults", () => {
    const resolved = resolveRules("cerbos", { taskId: ["x"] });
    expect(resolved.taskId).toEqual(["x"]);
    expect(resolved.claimsPaths).toEqual(CERBOS_DEFAULT_RULES.claimsPaths);
  });

  it("rejects unknown keys and bad regexes naming the field", () => {
    expect(() => parseExtractionConfig({ default: { taskid: [] } })).toThrow(/default/);
    expect(() => parseExtractionConfig({ sources: { a: { agentIdPattern: "(" } } })).toThrow(/sources\.a\.agentIdPattern: must be a valid regular expression/);
  });

  it("configured task id path and classification patterns are applied", () => {
    const entry = cerbosEntry({ principal: { id: "bot-7", attr: { ticket: "T-1", on_behalf_of: "carol@acme" } } });
    const f = factsOf(entry, { ...rulesForSource("pdp-eu-1", config), agentIdPattern: "^bot-", humanIdPattern: "@acme$" });
    expect(f.taskId).toBe("T-1");
    expect(f.provenance.taskId).toBe("principal.attr.ticket");
    expect(f.initiatingHuman?.id).toBe("carol@acme");
    expect(f.actingAgent).toMatchObject({ id: "bot-7", kind: "agent" });
  });

  it("a human predicate function overrides the default classification", () => {
    const f = factsOf(cerbosEntry({ auxData: { jwt: { sub: "svc-batch" } } } as never), { isHumanId: (id) => id.endsWith("@corp") });
    expect(f.initiatingHuman).toBeNull();
    expect(f.subject?.kind).toBe("unknown");
  });
});
