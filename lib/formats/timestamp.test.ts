import { describe, expect, it } from "vitest";
import { parseRfc3339 } from "./timestamp.ts";

describe("parseRfc3339", () => {
  it("accepts nanoseconds, Z and offsets", () => {
    expect((parseRfc3339("2026-11-23T18:19:58.393174653Z") as Date).toISOString()).toBe("2026-11-23T18:19:58.393Z");
    expect((parseRfc3339("2018-01-01T00:00:00.000000Z") as Date).toISOString()).toBe("2018-01-01T00:00:00.000Z");
    expect((parseRfc3339("2026-01-01T01:30:00.5+01:30") as Date).toISOString()).toBe("2026-01-01T00:00:00.500Z");
    expect((parseRfc3339("2026-01-01t00:00:00-00:00") as Date).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
  it("keeps years below 100 (Go's zero time) and leap days across offsets", () => {
    expect((parseRfc3339("0001-01-01T00:00:00Z") as Date).toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(parseRfc3339("0000-01-01T00:00:00Z")).toMatch(/year 0000/);
    expect(parseRfc3339("9999-12-31T23:59:59-01:00")).toMatch(/outside the years 0001–9999 in UTC/);
    expect(parseRfc3339("0001-01-01T00:30:00+01:00")).toMatch(/outside the years/);
    expect((parseRfc3339("9999-12-31T23:59:59+01:00") as Date).toISOString()).toBe("9999-12-31T22:59:59.000Z");
    expect((parseRfc3339("2024-02-29T23:30:00-01:00") as Date).toISOString()).toBe("2024-03-01T00:30:00.000Z");
    expect((parseRfc3339("2023-12-31T23:59:59.999999999Z") as Date).toISOString()).toBe("2023-12-31T23:59:59.999Z");
    expect((parseRfc3339("2023-03-01T00:30:00+01:00") as Date).toISOString()).toBe("2023-02-28T23:30:00.000Z");
    expect((parseRfc3339("2023-12-31T23:30:00-01:00") as Date).toISOString()).toBe("2024-01-01T00:30:00.000Z");
  });
  it("rejects other shapes and impossible dates", () => {
    expect(parseRfc3339("2026-01-01")).toMatch(/is not an RFC 3339 timestamp/);
    expect(parseRfc3339("2026-01-01T00:00:00")).toMatch(/is not an RFC 3339 timestamp/);
    expect(parseRfc3339("1700000000")).toMatch(/is not an RFC 3339 timestamp/);
    expect(parseRfc3339("2026-13-01T00:00:00Z")).toBe('"2026-13-01T00:00:00Z" is not a valid date/time');
    expect(parseRfc3339("2025-02-29T00:00:00Z")).toMatch(/not a valid date/);
    expect(parseRfc3339("2024-02-29T00:00:00Z")).toBeInstanceOf(Date);
  });
});
