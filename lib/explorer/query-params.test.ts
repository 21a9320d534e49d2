import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { explorerSearchParams, parseExplorerParams, parseUtcDateTime } from "./query-params.ts";

describe("explorer URL parameters", () => {
  it("round-trips filters, sort, page size and cursor", () => {
    const cursor = encodeCursor({ decidedAt: "2026-11-23T18:19:58.393174Z", id: "42" });
    const url = new URLSearchParams({ principal: "alice", effect: "deny", sort: "principal", dir: "desc", limit: "25", after: cursor });
    const parsed = parseExplorerParams(url);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.query.filters).toEqual({ principal: "alice", effect: "deny" });
    expect(parsed.query.sort).toEqual({ column: "principal", direction: "desc" });
    expect(parsed.query.after).toEqual({ decidedAt: "2026-11-23T18:19:58.393174Z", id: "42" });
    const again = explorerSearchParams(parsed.query, { after: cursor });
    expect(Object.fromEntries(again)).toEqual(Object.fromEntries(url));
  });

  it("treats empty form fields as absent and applies defaults", () => {
    const parsed = parseExplorerParams({ q: "  ", engine: "", effect: "", sort: "", dir: "" });
    expect(parsed).toEqual({ ok: true, query: { filters: {}, sort: { column: "time", direction: "desc" }, limit: 50 } });
  });

  it("names every bad parameter instead of throwing", () => {
    const parsed = parseExplorerParams({ effect: "maybe", from: "yesterday", limit: "0", after: "not-a-cursor" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.join("\n")).toMatch(/`effect` must be one of allow, deny/);
    expect(parsed.errors.join("\n")).toMatch(/`from` .*date-time/);
    expect(parsed.errors.join("\n")).toMatch(/`limit` must be a whole number/);
    expect(parsed.errors.join("\n")).toMatch(/`after` is not a valid page cursor/);
  });

  it("refuses after and before together", () => {
    const c = encodeCursor({ decidedAt: "2026-11-23T18:19:58Z", id: "1" });
    expect(parseExplorerParams({ after: c, before: c }).ok).toBe(false);
  });

  it("reads zone-less date-times as UTC", () => {
    expect(parseUtcDateTime("2026-11-23T18:00")?.toISOString()).toBe("2026-11-23T18:00:00.000Z");
    expect(parseUtcDateTime("2026-11-23")?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(parseUtcDateTime("2026-11-23T18:00:00+02:00")?.toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(parseUtcDateTime("tomorrow")).toBeNull();
  });

  it("cursors carry no sort value; older ones that did still decode, without it", () => {
    const old = Buffer.from(JSON.stringify({ v: "erin@acme.example", t: "2026-11-23T18:19:58Z", i: "7" })).toString("base64url");
    expect(decodeCursor(old)).toEqual({ decidedAt: "2026-11-23T18:19:58Z", id: "7" });
    expect(Buffer.from(encodeCursor({ decidedAt: "2026-11-23T18:19:58Z", id: "7" }), "base64url").toString()).toBe('{"t":"2026-11-23T18:19:58Z","i":"7"}');
  });

  it("rejects tampered cursors", () => {
    expect(decodeCursor("eyJ2IjpudWxsfQ")).toBeNull(); // {"v":null}: missing fields
    expect(decodeCursor(Buffer.from('{"t":"2026-11-23T18:19:58Z","i":"x1"}').toString("base64url"))).toBeNull();
    expect(decodeCursor("!!!")).toBeNull();
  });
});
