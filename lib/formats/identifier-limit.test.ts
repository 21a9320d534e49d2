// Identifiers longer than MAX_IDENTIFIER_BYTES are rejected per item, naming the field (Postgres cannot
// index them; one such item used to fail its whole batch).
import { describe, expect, it } from "vitest";
import { parseDecisionLog } from "./index.ts";
import { MAX_IDENTIFIER_BYTES } from "./item.ts";

const opa = (over: Record<string, unknown>) => JSON.stringify({ decision_id: "d-1", labels: { id: "gw" }, path: "a/allow", result: true, timestamp: "2026-01-01T00:00:00Z", ...over });
const cerbos = (principal: string, resourceId = "doc-1") =>
  JSON.stringify({
    callId: "c-1",
    timestamp: "2026-01-01T00:00:00Z",
    checkResources: {
      inputs: [{ requestId: "r", principal: { id: principal, roles: ["user"] }, resource: { kind: "doc", id: resourceId }, actions: ["view"] }],
      outputs: [{ requestId: "r", resourceId, actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.doc.vdefault" } } }],
    },
  });

describe("identifier length limit", () => {
  const long = "x".repeat(MAX_IDENTIFIER_BYTES + 1);
  it.each([
    ["decision_id", opa({ decision_id: long })],
    ["labels.id", opa({ labels: { id: long } })],
    ["action", opa({ path: long })], // an OPA decision's action and policy are its path
    ["principal id", cerbos(long)],
    ["resource id", cerbos("alice", long)],
  ])("rejects an overlong %s and names it", (field, item) => {
    const out = parseDecisionLog(Buffer.from(`${opa({ decision_id: "ok-1" })}\n${item}\n`));
    expect(out.records).toHaveLength(1);
    expect(out.rejected).toEqual([{ line: 2, reason: expect.stringContaining(`${field} is`) }]);
    expect(out.rejected[0].reason).toMatch(/1024-byte limit/);
  });

  it("counts bytes, not characters, and accepts ids at the limit", () => {
    const atLimit = "é".repeat(MAX_IDENTIFIER_BYTES / 2);
    expect(parseDecisionLog(Buffer.from(opa({ decision_id: atLimit }))).records).toHaveLength(1);
    const over = "€".repeat(Math.ceil(MAX_IDENTIFIER_BYTES / 3) + 1);
    expect(parseDecisionLog(Buffer.from(opa({ decision_id: over }))).rejected[0].reason).toMatch(/decision_id is/);
  });
});
