import { describe, expect, it } from "vitest";
import { brushWindow, bucketOf, drillHref, parseBucket, spikeHref, trendsHref } from "./trends-links.ts";

const window = { from: "2026-11-16T00:00:00.000Z", to: "2026-11-23T00:00:00.000Z" };

describe("trends links", () => {
  it("keeps the explorer's filter parameters and adds the bucket", () => {
    expect(trendsHref({ principal: "alice", from: "2026-11-20T00:00" }, "day")).toBe("/trends?from=2026-11-20T00%3A00&principal=alice&bucket=day");
    expect(parseBucket("hour")).toBe("hour");
    expect(parseBucket("week")).toBeUndefined();
  });

  it("drills a ranked value through to the explorer with the window and effect=deny", () => {
    const href = drillHref({ engine: "cerbos" }, window, "agent", "agent:fx-quoter");
    const p = new URLSearchParams(href.split("?")[1]);
    expect(href.startsWith("/decisions?")).toBe(true);
    expect(Object.fromEntries(p)).toEqual({ engine: "cerbos", agent: "agent:fx-quoter", effect: "deny", from: window.from, to: "2026-11-22T23:59:59.999Z" });
    const res = new URLSearchParams(drillHref({}, window, "resource", "mcp_tool:mcp://fx/quote").split("?")[1]);
    expect([res.get("kind"), res.get("rid")]).toEqual(["mcp_tool", "mcp://fx/quote"]);
    expect(new URLSearchParams(drillHref({}, window, "tool", "mcp://fx/quote").split("?")[1]).get("rid")).toBe("mcp://fx/quote");
  });

  it("links spikes and their contributors to the spike's hour", () => {
    const s = { from: "2026-11-22T03:00:00.000Z", to: "2026-11-22T04:00:00.000Z" };
    const p = new URLSearchParams(spikeHref({}, s, { dimension: "principal", value: "bob" }).split("?")[1]);
    expect(Object.fromEntries(p)).toEqual({ from: s.from, to: "2026-11-22T03:59:59.999Z", principal: "bob", effect: "deny" });
  });

  it("turns a brush selection into whole buckets", () => {
    const buckets = ["2026-11-22T00:00:00.000Z", "2026-11-22T01:00:00.000Z", "2026-11-22T02:00:00.000Z"];
    expect(brushWindow(buckets, 1, 2, "hour")).toEqual({ from: buckets[1], to: "2026-11-22T02:59:59.999Z" });
    expect(bucketOf("2026-11-22T13:45:00Z", "day")).toBe("2026-11-22T00:00:00.000Z");
  });
});
