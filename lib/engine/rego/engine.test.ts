import { describe, expect, it } from "vitest";
import { regoEngine } from "./index.ts";

const now = new Date("2026-01-01T00:00:00Z");

function compile(source: string, data?: Record<string, unknown>) {
  const out = regoEngine.compile({ modules: [{ file: "p.rego", source }], data: data as never });
  if (!out.ok) throw new Error(out.errors.map((e) => e.message).join("\n"));
  return out.policySet;
}

describe("regoEngine", () => {
  it("evaluates v1 policies with defaults, partial sets and functions", () => {
    const ps = compile(`package authz
default allow := false
allow if { count(deny) == 0; input.user in data.admins }
deny contains msg if { input.path[0] == "admin"; not input.mfa; msg := sprintf("%s needs mfa", [input.user]) }
`, { admins: ["alice"] });
    expect(ps.evaluate({ query: "data.authz.allow", input: { user: "alice", path: ["x"] } }, { now }).bindings).toEqual([{ value: true }]);
    expect(ps.evaluate({ query: "data.authz.deny", input: { user: "alice", path: ["admin"] } }, { now }).bindings).toEqual([{ value: ["alice needs mfa"] }]);
  });

  it("evaluates v0 policies (future.keywords, rules without if, old partial sets)", () => {
    const ps = compile(`package v0
import future.keywords.in
deny[msg] { input.role == "guest"; msg := "guests may not write" }
allow { not deny["guests may not write"] }
`);
    expect(ps.evaluate({ query: "data.v0.allow", input: { role: "admin" } }, { now }).bindings).toEqual([{ value: true }]);
    expect(ps.evaluate({ query: "data.v0.deny", input: { role: "guest" } }, { now }).bindings).toEqual([{ value: ["guests may not write"] }]);
  });

  it("replays non-deterministic built-ins from nd_builtin_cache and refuses to guess without it", () => {
    const ps = compile(`package nd
t := time.now_ns()
r := http.send({"method": "get", "url": "https://x"}).body
`);
    expect(ps.evaluate({ query: "data.nd.t" }, { now }).bindings).toEqual([{ value: now.getTime() * 1e6 }]);
    const cache = { "time.now_ns": { "[]": 42 }, "http.send": { '[{"url":"https://x","method":"get"}]': { body: "ok" } } };
    expect(ps.evaluate({ query: "data.nd.t", ndBuiltinCache: cache }, { now }).bindings).toEqual([{ value: 42 }]);
    expect(ps.evaluate({ query: "data.nd.r", ndBuiltinCache: cache }, { now }).bindings).toEqual([{ value: "ok" }]);
    // Even in OPA's default (non-strict) mode a missing recording stops evaluation: an undefined
    // result would look like a real decision.
    const missing = ps.evaluate({ query: "data.nd.r" }, { now });
    expect(missing.error?.code).toBe("eval_builtin_error");
    expect(missing.error?.message).toMatch(/not faithful/);
  });

  it("reports unknown functions at compile time and conflicts at evaluation", () => {
    const bad = regoEngine.compile({ modules: [{ file: "b.rego", source: "package b\np := no.such_fn(1)\n" }] });
    expect(bad.ok).toBe(false);
    const ps = compile("package c\np := 1\np := 2\n");
    expect(ps.evaluate({ query: "data.c.p" }, { now }).error?.code).toBe("eval_conflict_error");
  });

  it("explains which rules and expressions decided", () => {
    const ps = compile(`package e
allow if { input.a == 1; input.b == 2 }
`);
    const r = ps.evaluate({ query: "data.e.allow", input: { a: 1, b: 3 } }, { now, explain: true });
    expect(r.bindings).toEqual([]);
    expect(r.explanation).toContainEqual(expect.objectContaining({ kind: "expr", text: "input.b == 2", result: false }));
    expect(r.explanation).toContainEqual(expect.objectContaining({ kind: "rule", path: "data.e.allow", defined: false }));
  });
});

describe("recursion", () => {
  it("rejects rules that depend on themselves at compile time", () => {
    const out = regoEngine.compile({ modules: [{ file: "r.rego", source: "package r\np if q\nq if p\n" }] });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0].message).toMatch(/rego_recursion_error/);
  });
});

describe("unsupported built-ins", () => {
  it("are a compile error that names them, never a wrong answer", () => {
    const out = regoEngine.compile({ modules: [{ file: "g.rego", source: "package g\np := graphql.parse(`q`, `s`)\n" }] });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.errors[0].message).toMatch(/unsupported built-in: graphql.parse/);
  });
});

describe("values of input-independent rules", () => {
  it("are shared across evaluations but never across inputs or with-overrides", () => {
    const ps = compile(`package s
table := {r: n | some r, n in data.limits}
limit := table[input.role]
mocked := x if { x := table.admin with data.limits as {"admin": 1} }
`, { limits: { admin: 100, guest: 1 } });
    expect(ps.evaluate({ query: "data.s.limit", input: { role: "admin" } }, { now }).bindings).toEqual([{ value: 100 }]);
    expect(ps.evaluate({ query: "data.s.limit", input: { role: "guest" } }, { now }).bindings).toEqual([{ value: 1 }]);
    expect(ps.evaluate({ query: "data.s.mocked" }, { now }).bindings).toEqual([{ value: 1 }]);
    expect(ps.evaluate({ query: "data.s.table.admin" }, { now }).bindings).toEqual([{ value: 100 }]);
  });
});
