import { describe, expect, it } from "vitest";
import { detect, isEmail, isIpAddress, isIPv6, isJwt } from "./detectors.ts";
import { isMaskMarker, maskJson, maskMarker, parsePointer, toDotPath, toPointer, valueAtPointer } from "./mask.ts";
import { BUILTIN_RULE_SET, BUILTIN_RULES, parseRule, parseRuleCsv, parseRuleLines, ruleSetOf } from "./rules.ts";

const JWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz";

describe("detectors", () => {
  it("e-mail addresses, whole values only", () => {
    for (const v of ["alice@acme.example", "Alice Smith <alice@acme.example>", "mailto:bob@x.io", "a.b+tag@sub.example.co.uk"]) expect(isEmail(v), v).toBe(true);
    for (const v of ["alice", "write to alice@acme.example please", "user@localhost", "@handle", "agent:payments-bot"]) expect(isEmail(v), v).toBe(false);
  });

  it("IPv4 and IPv6 with ports and forwarding lists, not timestamps, hashes or MACs", () => {
    for (const v of ["10.0.0.7", "10.0.0.7:443", "2001:db8::1", "::1", "[2001:db8::1]:8443", "::ffff:192.0.2.1", "fe80::1%eth0", "203.0.113.9, 10.0.0.1", "1:2:3:4:5:6:7:8"]) {
      expect(isIpAddress(v), v).toBe(true);
    }
    for (const v of ["10:00:00", "2026-07-01T10:00:00Z", "999.1.1.1", "1.2.3", "aa:bb:cc:dd:ee:ff", "c".repeat(40), "1.2.3.4:99999", "v1.2.3.4", "1::2::3"]) {
      expect(isIpAddress(v), v).toBe(false);
    }
    expect(isIPv6("1:2:3:4:5:6:1.2.3.4")).toBe(true);
    expect(isIPv6("1:2:3:4:5:6:7:1.2.3.4")).toBe(false);
  });

  it("JWTs (bare or after Bearer) and bearer credentials", () => {
    expect(isJwt(JWT)).toBe(true);
    expect(isJwt(`Bearer ${JWT}`)).toBe(true);
    expect(isJwt("a.b.c")).toBe(false);
    expect(isJwt("policy.resource.vdefault")).toBe(false);
    expect(detect(`Bearer ${JWT}`)).toBe("jwt");
    expect(detect("Bearer s3cr3t-opaque-token")).toBe("bearer");
    expect(detect("Basic YWxhZGRpbjpvcGVuc2VzYW1l")).toBe("bearer");
    expect(detect("bearer")).toBe(null);
    expect(detect("token expired")).toBe(null);
    expect(detect("10.1.2.3", ["email"])).toBe(null);
  });
});

describe("rule syntax", () => {
  it("parses paths, wildcards, anchors, quoted keys and detectors", () => {
    expect(parseRule("principal.attr.email")).toMatchObject({ kind: "path", anchored: false, label: "email" });
    expect(parseRule("$.requested_by")).toMatchObject({ anchored: true, segments: [{ type: "key", name: "requested_by" }] });
    expect(parseRule("auxData.jwt.*")).toMatchObject({ label: "jwt", segments: [{ name: "auxdata" }, { name: "jwt" }, { type: "any" }] });
    expect(parseRule('metadata."x.custom id"')).toMatchObject({ segments: [{ name: "metadata" }, { name: "x.custom id" }] });
    expect(parseRule("**.**.email").kind === "path" && (parseRule("**.**.email") as { segments: unknown[] }).segments).toHaveLength(2);
    expect(parseRule(" detect: IP ")).toEqual({ kind: "detect", text: "detect:ip", detector: "ip" });
  });

  it.each([
    ["principal..email", /empty segment at character 11/],
    [".email", /starts with a dot/],
    ["email.", /ends with a dot/],
    ["a.$.b", /"\$" may only start a path/],
    ["$", /would mask the whole record/],
    ["**", /has no key name/],
    ["*.*", /has no key name/],
    ["headers.x-*", /\* must be a whole segment/],
    ["inputs[0].principal", /not brackets/],
    ['a."b', /unterminated quote/],
    ["detect:phone", /unknown detector "phone" \(known: email, ip, jwt, bearer\)/],
    ["@everything", /unknown directive/],
    ["x".repeat(301), /at most 300/],
  ])("rejects %j", (text, message) => {
    expect(() => parseRule(text)).toThrow(message);
  });

  it("reports every bad line by its line number, skipping blanks and comments, expanding @defaults", () => {
    const { rules, errors } = parseRuleLines("# comment\n\n**.email\nprincipal..x\n@defaults\n  detect:nope  \n");
    expect(errors).toEqual([
      { where: "line 4", text: "principal..x", message: expect.stringMatching(/empty segment/) },
      { where: "line 6", text: "detect:nope", message: expect.stringMatching(/unknown detector/) },
    ]);
    // **.email appears once although @defaults holds it too.
    expect(rules.filter((r) => r.text === "**.email")).toHaveLength(1);
    expect(rules).toHaveLength(BUILTIN_RULES.length);
  });

  it("comma-separated entries are named by position", () => {
    expect(parseRuleCsv("**.email, a..b").errors[0]).toMatchObject({ where: "entry 2", text: "a..b" });
  });
});

describe("maskJson", () => {
  const cerbos = {
    callId: "01J",
    timestamp: "2026-07-01T10:00:00Z",
    peer: { address: "10.0.0.7:51234", userAgent: "agent-gateway/2.3.1" },
    checkResources: {
      inputs: [
        {
          principal: { id: "alice", roles: ["user"], attr: { email: "alice@acme.example", department: "finance" } },
          resource: { kind: "payment", id: "pay-1", attr: { owner: "alice", Email: "billing@acme.example" } },
          auxData: { jwt: { sub: "alice", jti: "j-1", scope: "payments:read" } },
        },
      ],
    },
  };

  it("masks exact and unanchored paths at any depth and reports pointer, dot path, label and rule", () => {
    const rules = ruleSetOf(["principal.attr.email", "peer.address"]);
    const { value, masked } = maskJson(cerbos, rules);
    expect(value.checkResources.inputs[0].principal.attr.email).toBe("•••• masked (email)");
    expect(value.peer.address).toBe("•••• masked (ip)"); // labelled by what it is, not only by the rule
    expect(value.checkResources.inputs[0].resource.attr.Email).toBe("billing@acme.example"); // no rule, no detector
    expect(masked).toEqual([
      { pointer: "/peer/address", path: "peer.address", label: "ip", rule: "peer.address" },
      {
        pointer: "/checkResources/inputs/0/principal/attr/email",
        path: "checkResources.inputs.0.principal.attr.email",
        label: "email",
        rule: "principal.attr.email",
      },
    ]);
    expect(cerbos.peer.address).toBe("10.0.0.7:51234"); // input untouched
  });

  it("* matches one key, ** any depth; keys compare case-insensitively", () => {
    expect(maskJson(cerbos, ruleSetOf(["*.attr.email"])).masked.map((m) => m.path)).toEqual([
      "checkResources.inputs.0.principal.attr.email",
      "checkResources.inputs.0.resource.attr.Email",
    ]);
    expect(maskJson(cerbos, ruleSetOf(["**.email"])).masked).toHaveLength(2);
    expect(maskJson(cerbos, ruleSetOf(["inputs.*.principal.attr.email"])).masked).toHaveLength(1);
    expect(maskJson(cerbos, ruleSetOf(["inputs.1.principal.attr.email"])).masked).toHaveLength(0);
    expect(maskJson(cerbos, ruleSetOf(["inputs.0.principal.attr.email"])).masked).toHaveLength(1);
  });

  it("masks a matched object whole, and children with a trailing *", () => {
    const whole = maskJson(cerbos, ruleSetOf(["auxData.jwt"]));
    expect(whole.value.checkResources.inputs[0].auxData.jwt).toBe("•••• masked (jwt)");
    const each = maskJson(cerbos, ruleSetOf(["auxData.jwt.*"]));
    expect(each.value.checkResources.inputs[0].auxData.jwt).toEqual({ sub: "•••• masked (jwt)", jti: "•••• masked (jwt)", scope: "•••• masked (jwt)" });
    expect(each.masked).toHaveLength(3);
  });

  it("$ anchors at the root (or the given anchors)", () => {
    expect(maskJson(cerbos, ruleSetOf(["$.callId"])).masked.map((m) => m.path)).toEqual(["callId"]);
    expect(maskJson({ x: cerbos }, ruleSetOf(["$.callId"])).masked).toHaveLength(0);
    const wrapped = { result: { decisionLogEntry: cerbos } };
    expect(maskJson(wrapped, ruleSetOf(["$.callId"]), { anchors: [[], ["result", "decisionLogEntry"]] }).masked.map((m) => m.path)).toEqual([
      "result.decisionLogEntry.callId",
    ]);
  });

  it("detectors mask string leaves anywhere; arrays and forwarded lists included", () => {
    const opa = {
      input: {
        attributes: { request: { http: { headers: { authorization: `Bearer ${JWT}`, "x-forwarded-for": "203.0.113.9, 10.0.0.1" } } } },
        token: JWT,
        subject: { id: "bob@acme.example", roles: ["user"] },
        note: "called from 10.0.0.1 by bob@acme.example",
      },
      requested_by: "[2001:db8::1]:443",
      timestamp: "2026-07-01T10:00:00.123456789Z",
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
    };
    const { value, masked } = maskJson(opa, ruleSetOf(["detect:email", "detect:ip", "detect:jwt", "detect:bearer"]));
    expect(value.input.attributes.request.http.headers).toEqual({ authorization: "•••• masked (jwt)", "x-forwarded-for": "•••• masked (ip)" });
    expect(value.input.token).toBe("•••• masked (jwt)");
    expect(value.input.subject).toEqual({ id: "•••• masked (email)", roles: ["user"] });
    expect(value.input.note).toBe(opa.input.note); // free text: detectors look at whole values only
    expect(value.requested_by).toBe("•••• masked (ip)");
    expect(value.timestamp).toBe(opa.timestamp);
    expect(value.trace_id).toBe(opa.trace_id);
    expect(masked.map((m) => m.rule)).toEqual(["detect:jwt", "detect:ip", "detect:jwt", "detect:email", "detect:ip"]);
  });

  it("the built-in list masks the usual suspects and leaves decision structure alone", () => {
    const { value } = maskJson(cerbos, BUILTIN_RULE_SET);
    expect(value.peer).toEqual({ address: "•••• masked (ip)", userAgent: "agent-gateway/2.3.1" });
    expect(value.checkResources.inputs[0].principal).toEqual({ id: "alice", roles: ["user"], attr: { email: "•••• masked (email)", department: "finance" } });
    expect(value.checkResources.inputs[0].auxData).toEqual(cerbos.checkResources.inputs[0].auxData);
    expect(value.callId).toBe("01J");
  });

  it("keeps a parsed __proto__ key as data", () => {
    const v = JSON.parse('{"__proto__": {"email": "a@b.example"}, "x": 1}');
    const { value, masked } = maskJson(v, ruleSetOf(["**.email"]));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"email":"•••• masked (email)"},"x":1}');
    expect(masked[0].pointer).toBe("/__proto__/email");
  });

  it("markers are recognisable; pointers and dot paths round-trip", () => {
    expect(isMaskMarker(maskMarker("ip"))).toBe(true);
    expect(isMaskMarker("masked (ip)")).toBe(false);
    const path = ["a/b", "c~d", 0, "x.y"];
    expect(toPointer(path)).toBe("/a~1b/c~0d/0/x.y");
    expect(parsePointer(toPointer(path))).toEqual(["a/b", "c~d", "0", "x.y"]);
    expect(toDotPath(path)).toBe('a/b.c~d.0."x.y"');
    expect(valueAtPointer({ a: [{ b: 1 }] }, "/a/0/b")).toBe(1);
    expect(valueAtPointer({ a: [{ b: 1 }] }, "/a/x/b")).toBeUndefined();
    expect(valueAtPointer({ a: {} }, "/a/constructor")).toBeUndefined();
    expect(() => parsePointer("a/b")).toThrow(/starts with "\/"/);
    expect(() => parsePointer("/a~2")).toThrow(/bad escape/);
  });
});
