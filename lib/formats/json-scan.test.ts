import { describe, expect, it } from "vitest";
import { scanValue, splitArray } from "./json-scan.ts";

const b = (s: string) => Buffer.from(s);

describe("scanValue", () => {
  it("finds the end of objects, strings and bare tokens", () => {
    const text = '{"a":"}\\"{","b":[1,{"c":[]}]} tail';
    expect(scanValue(b(text), 0, text.length)).toEqual({ start: 0, end: text.indexOf(" tail"), complete: true, depth: 4 });
    expect(scanValue(b('"x\\\\" rest'), 0, 10)).toEqual({ start: 0, end: 5, complete: true, depth: 0 });
    expect(scanValue(b("true,"), 0, 5)).toEqual({ start: 0, end: 4, complete: true, depth: 0 });
  });
  it("reports truncation", () => {
    expect(scanValue(b('{"a":[1,2'), 0, 9)).toMatchObject({ complete: false, depth: 2 });
    expect(scanValue(b('{"a":"unterminated'), 0, 18)).toMatchObject({ complete: false });
  });
  it("measures depth of hostile nesting without recursion", () => {
    const n = 1_000_000;
    const deep = b("[".repeat(n) + "]".repeat(n));
    expect(scanValue(deep, 0, deep.length)).toMatchObject({ complete: true, depth: n });
  });
});

describe("splitArray", () => {
  it("returns element ranges", () => {
    const text = '[ {"a":1} , "s,]" ,3 ,[4]]';
    const split = splitArray(b(text), 0, text.length);
    expect(split.error).toBeUndefined();
    expect(split.elements.map((e) => text.slice(e.start, e.end))).toEqual(['{"a":1}', '"s,]"', "3", "[4]"]);
    expect(split.end).toBe(text.length);
  });
  it("handles empty arrays and reports breaks", () => {
    expect(splitArray(b("[ ]"), 0, 3)).toEqual({ elements: [], end: 3 });
    expect(splitArray(b("[1,]"), 0, 4).error).toEqual({ elementIndex: 1, message: "empty array element (stray ',')" });
    expect(splitArray(b("[1 2]"), 0, 5).error).toEqual({ elementIndex: 1, message: "expected ',' or ']' after the previous element, found '2'" });
    expect(splitArray(b("[1,"), 0, 3).error).toEqual({ elementIndex: 1, message: "truncated JSON: the array is not closed by the end of input" });
  });
});
