// How inputs are split into items: NDJSON, documents, arrays; raw bytes and line numbers.
import { describe, expect, it } from "vitest";
import { parseDecisionLog } from "./index.ts";
import { looksLikeNdjson } from "./layout.ts";
import { fixture } from "./testdata/fixture.ts";

const lines = (name: string) => fixture(name).toString().trim().split("\n");

describe("input layouts", () => {
  it("mixed NDJSON: Cerbos file, Admin API, bare entry, OPA event and console lines together", () => {
    const mixed = [
      ...lines("cerbos-file-lab.ndjson"),
      ...lines("cerbos-admin.ndjson"),
      fixture("cerbos-legacy-0.17.json").toString().trim(),
      ...lines("opa-console-candig.ndjson"),
      JSON.stringify(JSON.parse(fixture("shared-opa-decision-log.json").toString())[0]),
    ];
    const { records, rejected } = parseDecisionLog(Buffer.from(mixed.join("\n") + "\n"));
    expect(rejected).toEqual([]);
    expect(records.map((r) => r.format)).toEqual(["cerbos.file", "cerbos.file", "cerbos.admin", "cerbos.admin", "cerbos.entry", "opa.console", "opa.event"]);
    records.forEach((r, i) => expect(r.raw.toString()).toBe(mixed[i]));
  });

  it("CRLF line endings, blank lines, a BOM and surrounding whitespace", () => {
    const [a, d] = lines("cerbos-file-lab.ndjson");
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${a}\r\n\r\n   \r\n  ${d}  \r\n`)]);
    const { records, rejected } = parseDecisionLog(input);
    expect(rejected).toEqual([]);
    expect(records.map((r) => r.raw.toString())).toEqual([a, d]);
  });

  it("line numbers count blank lines", () => {
    const [a] = lines("cerbos-file-lab.ndjson");
    const { rejected } = parseDecisionLog(Buffer.from(`${a}\n\n\n{"nope":true}\n`));
    expect(rejected.map((r) => r.line)).toEqual([4]);
  });

  it("a pretty-printed document and several concatenated ones (jq output)", () => {
    const pretty = fixture("shared-cerbos-decision-log.json").toString().trim();
    const doubled = `${pretty}\n${pretty}\n\n{"nope": 1}\n`;
    const { records, rejected } = parseDecisionLog(Buffer.from(doubled));
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.raw.toString() === pretty)).toBe(true);
    const firstLines = pretty.split("\n").length;
    expect(rejected).toEqual([{ line: 2 * firstLines + 2, reason: expect.stringMatching(new RegExp(`^line ${2 * firstLines + 2}: not a decision log item`)) }]);
  });

  it("a truncated pretty document is one rejection", () => {
    const pretty = fixture("shared-cerbos-decision-log.json").toString();
    const { records, rejected } = parseDecisionLog(Buffer.from(pretty.slice(0, 300)));
    expect(records).toEqual([]);
    expect(rejected).toEqual([{ line: 1, reason: "line 1: truncated JSON: the object is not closed by the end of input" }]);
  });

  it("array elements keep their exact bytes, whatever the whitespace and escapes", () => {
    const e1 = '{ "decision_id" : "a", "path":"p/allow", "timestamp":"2026-01-01T00:00:00Z", "input": {"s":"a\\"]},[{"}, "result" : true }';
    const e2 = '{"decision_id":"b","path":"p/allow","timestamp":"2026-01-01T00:00:00Z","input":{"k":"\\\\"},"result":false}';
    const input = `\n[\n\t${e1} ,\r\n${e2}\n]\n`;
    const { records, rejected } = parseDecisionLog(Buffer.from(input));
    expect(rejected).toEqual([]);
    expect(records.map((r) => r.raw.toString())).toEqual([e1, e2]);
    expect(records.map((r) => r.hops[0].effect)).toEqual(["allow", "deny"]);
  });

  it("NDJSON lines that hold one-line arrays (one upload batch per line)", () => {
    const ev = (id: string) => `{"decision_id":"${id}","path":"p","timestamp":"2026-01-01T00:00:00Z"}`;
    const { records, rejected } = parseDecisionLog(Buffer.from(`${ev("x")}\n[${ev("a")},${ev("b")}]\n[${ev("c")}, 5]\n`));
    expect(records.map((r) => r.recordKey)).toEqual(["x", "a", "b", "c"]);
    expect(rejected).toEqual([{ line: 3, reason: "line 3 item 2: expected a JSON object (a decision log entry), got a number" }]);
  });

  it("a single-line document is treated like one NDJSON line", () => {
    const one = lines("cerbos-file-git.ndjson")[0];
    expect(parseDecisionLog(Buffer.from(one)).records[0].raw.toString()).toBe(one);
  });

  it("tells NDJSON from documents by the first value", () => {
    expect(looksLikeNdjson(Buffer.from('{"a":1}\n{"b":2}'))).toBe(true);
    expect(looksLikeNdjson(Buffer.from('  {"a":1}  \r\n'))).toBe(true);
    expect(looksLikeNdjson(Buffer.from('{\n  "a": {}\n}'))).toBe(false);
    expect(looksLikeNdjson(Buffer.from('{"a":\n1}\n'))).toBe(false);
    expect(looksLikeNdjson(Buffer.from('[\n{"a":1},\n{"b":2}\n]'))).toBe(false);
    expect(looksLikeNdjson(Buffer.from('[{"a":1}]\n[{"b":2}]'))).toBe(true);
    expect(looksLikeNdjson(Buffer.from("hello"))).toBe(false);
    // A log cut mid-line: the first line is truncated, the rest are whole objects.
    expect(looksLikeNdjson(Buffer.from('{"callId":"01B","tim\n{"b":2}\n{"c":3}\n'))).toBe(true);
    expect(looksLikeNdjson(Buffer.from('"callId":"01B"}\n{"b":2}\n'))).toBe(false);
  });

  it("a log cut mid-line loses only its first line", () => {
    const [a, d] = lines("cerbos-file-lab.ndjson");
    const { records, rejected } = parseDecisionLog(Buffer.from(`${d.slice(0, 200)}\n${a}\n${d}\n`));
    expect(records).toHaveLength(2);
    expect(rejected).toEqual([{ line: 1, reason: "line 1: truncated JSON: the value is not closed by the end of the line" }]);
  });
});
