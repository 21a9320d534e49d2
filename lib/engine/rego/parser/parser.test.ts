import { describe, expect, it } from "vitest";
import { parseModule, parseQuery, parseTerm } from "./module.ts";

describe("Rego parser", () => {
  it("parses v1 rules: if, contains, ref heads, else, default, functions", () => {
    const m = parseModule(
      `package a.b
import rego.v1
default allow := false
allow if { input.user == "alice"; some x in input.roles }
deny contains msg if { msg := "no" }
obj[k] := v if { some k, v in {"a": 1} }
f(x) := y if { y := x + 1 } else := 0
p.q.r := 1
`,
      "t.rego",
    );
    expect(m.packagePath).toEqual(["a", "b"]);
    expect(m.rules).toHaveLength(6);
    expect(m.rules[2].setMember).toBeDefined();
    expect(m.rules[4].args).toHaveLength(1);
    expect(m.rules[4].elseRule).toBeDefined();
    expect(m.rules[5].head).toHaveLength(3);
    expect(m.v0).toBe(false);
  });
  it("treats v0 `p[x] { … }` as a partial set", () => {
    const m = parseModule(`package x\np[v] { v := 1 }\n`, "t.rego");
    expect(m.v0).toBe(true);
    expect(m.rules[0].setMember).toBeDefined();
  });
  it("maps operators to built-in calls with OPA precedence", () => {
    const [e] = parseQuery("x := 1 + 2 * 3 == 7");
    expect(e.kind).toBe("assign");
    expect(JSON.stringify(e)).toContain('"op":"equal"');
  });
  it("parses comprehensions, sets and every", () => {
    expect(parseTerm("[x | x := [1,2][_]]").t).toBe("arraycomp");
    expect(parseTerm("{1, 2}").t).toBe("set");
    expect(parseTerm("{k: v | some k, v in {}}").t).toBe("objcomp");
    expect(parseQuery("every x in [1] { x > 0 }")[0].kind).toBe("every");
  });
  it("reports parse errors with the rego_parse_error code", () => {
    expect(() => parseModule("package x\np := {", "bad.rego")).toThrow(/rego_parse_error/);
  });
});
