// The Cerbos CEL environment: extension families, Cerbos functions and cel-go error wording.
import { describe, expect, it } from "vitest";
import { setEvaluationTime } from "./clock.ts";
import { compileCel, type Activation } from "./environment.ts";

const activation = {
  request: {},
  P: { id: "alice", roles: ["user"], attr: { ip: "10.20.1.2", teams: ["a", "b"], n: 3 } },
  R: { attr: { created: "2026-01-01T00:00:00Z", tags: ["b", "c"] } },
  runtime: { effectiveDerivedRoles: [] },
  constants: {},
  C: {},
  variables: {},
  V: {},
  globals: {},
  G: {},
} as unknown as Activation;

function evaluate(expr: string): unknown {
  const c = compileCel(expr);
  if (!c.ok) throw new Error(`compile: ${c.error}`);
  return c.program.run(activation);
}

const TRUE_EXPRESSIONS = [
  // Cerbos functions
  'P.attr.ip.inIPAddrRange("10.20.0.0/16")',
  'hasIntersection(P.attr.teams, R.attr.tags) && P.attr.teams.hasIntersection(["b"])',
  'intersect(P.attr.teams, R.attr.tags) == ["b"] && except(P.attr.teams, R.attr.tags) == ["a"]',
  'isSubset(["a"], P.attr.teams) && ["a"].is_subset(P.attr.teams)',
  'hierarchy("a.b.c").ancestorOf(hierarchy("a.b.c.d")) && hierarchy("a.b.c")[1] == "b" && hierarchy("a:b", ":").size() == 2',
  'hierarchy("a.b.c").commonAncestors(hierarchy("a.b.d")) == hierarchy("a.b")',
  'timestamp(R.attr.created).timeSince() == duration("24h")',
  'now() == timestamp("2026-01-02T00:00:00Z")',
  'spiffeID("spiffe://example.org/ns/a").isMemberOf(spiffeTrustDomain("example.org"))',
  'spiffeMatchOneOf(["spiffe://example.org/x"]).matchesID(spiffeID("spiffe://example.org/x"))',
  'basePath("/a/b.txt") == "b.txt" && extPath("/a/b.txt") == ".txt" && pathMatch("/a/b", "/a/*")',
  // Extensions
  'sets.contains([1, 2, 3], [1.0]) && sets.equivalent([1, 2], [2, 1]) && sets.intersects([1], [1u])',
  '[3, 1, 2].sort() == [1, 2, 3] && [1, [2, [3]]].flatten() == [1, 2, [3]] && lists.range(3) == [0, 1, 2]',
  '[1, 2, 2].distinct() == [1, 2] && [1, 2].reverse() == [2, 1] && [1, 2, 3].slice(1, 2) == [2]',
  'math.greatest(1, 5, 3) == 5 && math.least([2.5, 1.5]) == 1.5 && math.abs(-3) == 3 && math.bitOr(1, 2) == 3',
  '"abc".charAt(1) == "b" && "a.b".replace(".", "/") == "a/b" && "%s=%d".format(["x", 3]) == "x=3"',
  'strings.quote("a\\"b") == "\\"a\\\\\\"b\\""',
  'base64.encode(b"hi") == "aGk=" && base64.decode("aGk=") == b"hi"',
  'json.encode({"b": 1, "a": [true]}) == "{\\"a\\":[true],\\"b\\":1}"',
  'regex.replace("a1b2", "[0-9]", "#") == "a#b#" && regex.extractAll("a1b22", "[0-9]+") == ["1", "22"]',
  'isIP("::1") && ip("192.168.0.1").family() == 4 && cidr("10.0.0.0/8").containsIP("10.1.1.1")',
  "cel.bind(x, P.attr.n * 2.0, x > 5.0)",
  "P.attr.?missing.orValue(7) == 7 && optional.of(1) == optional.of(1)",
  '{"a": 1, "b": 2}.all(k, v, v > 0) && [10, 20].exists(i, v, i == 1 && v == 20)',
  '[1, 2].transformList(i, v, v * 2) == [2, 4] && {"a": 1}.transformMap(k, v, v + 1) == {"a": 2}',
  '[{"n": 2}, {"n": 1}].sortBy(e, e.n)[0].n == 1',
  // Backtick-quoted field names
  '{"content-type": "json"}.`content-type` == "json" && has(R.attr.`created`) && !has(R.attr.`x-y`)',
  // Heterogeneous numeric comparison (JSON numbers are doubles)
  "P.attr.n == 3 && P.attr.n < 4u && P.attr.n > 2",
  'timestamp("2026-01-01T10:00:00Z").getHours("-05:00") == 5 && timestamp("2026-01-01T10:00:00Z").getHours("Europe/London") == 10',
];

describe("Cerbos CEL environment", () => {
  setEvaluationTime(new Date("2026-01-02T00:00:00Z"));
  for (const expr of TRUE_EXPRESSIONS) {
    it(expr, () => {
      setEvaluationTime(new Date("2026-01-02T00:00:00Z"));
      expect(evaluate(expr)).toBe(true);
    });
  }

  const ERRORS: [string, string][] = [
    ["R.attr.missing == 1", "no such key: missing"],
    ["V.nope", "undefined field 'nope'"],
    ['P.attr.ip + 1', "no such overload"],
    ['"x".inIPAddrRange("10.0.0.0/8")', "invalid IP address: x"],
    ["V.nope && R.attr.other", "undefined field 'nope'"],
  ];
  for (const [expr, message] of ERRORS) {
    it(`${expr} fails with "${message}"`, () => {
      expect(() => evaluate(expr)).toThrow(message);
    });
  }

  it("lets a decisive right operand win over a left error, as cel-go does", () => {
    expect(evaluate("R.attr.missing && false")).toBe(false);
    expect(evaluate("R.attr.missing || true")).toBe(true);
  });
});
