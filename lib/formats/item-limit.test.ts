// limits.maxItems: an input with more items than allowed is rejected whole with one reason, in every
// layout, without slicing the rest (a few KB of gzip can hold millions of tiny items).
import { describe, expect, it } from "vitest";
import { parseDecisionLog } from "./index.ts";

const opa = (i: number) => JSON.stringify({ decision_id: `d-${i}`, path: "a/allow", result: true, timestamp: "2026-01-01T00:00:00Z" });
const layouts = {
  array: (items: string[]) => `[${items.join(",")}]`,
  ndjson: (items: string[]) => items.join("\n"),
  "one-line arrays": (items: string[]) => `[${items.slice(0, 2).join(",")}]\n[${items.slice(2).join(",")}]`,
  concatenated: (items: string[]) => items.join(""),
  "pretty array": (items: string[]) => `[\n  ${items.join(",\n  ")}\n]`,
};

describe("parseDecisionLog limits.maxItems", () => {
  for (const [name, layout] of Object.entries(layouts)) {
    it(`rejects ${name} input above the limit whole and parses it at the limit`, () => {
      const five = [1, 2, 3, 4, 5].map(opa);
      const over = parseDecisionLog(Buffer.from(layout(five)), { limits: { maxItems: 4 } });
      expect(over.records).toHaveLength(0);
      expect(over.rejected).toEqual([{ line: 1, reason: expect.stringMatching(/more than 4 items/) }]);
      const at = parseDecisionLog(Buffer.from(layout(five)), { limits: { maxItems: 5 } });
      expect(at.rejected).toEqual([]);
      expect(at.records).toHaveLength(5);
    });
  }

  it("counts unusable items too, and stops early on huge inputs", () => {
    const started = performance.now();
    const huge = Buffer.from("[" + Array(3_000_000).fill("{}").join(",") + "]");
    const out = parseDecisionLog(huge, { limits: { maxItems: 1_000 } });
    expect(out.rejected).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
