// The malformed-input corpus: each case asserts the exact reason a person would read.
import { describe, expect, it } from "vitest";
import { parseDecisionLog } from "./index.ts";

const access = (callId = "01A", extra = "") => `{"callId":"${callId}","timestamp":"2026-11-23T18:19:58.392338248Z","method":"/cerbos.svc.v1.CerbosService/CheckResources"${extra}}`;
const opa = (id = "d1") => `{"decision_id":"${id}","path":"a/allow","timestamp":"2026-11-23T18:19:58Z","result":true}`;

function reasons(input: string | Buffer, opts?: Parameters<typeof parseDecisionLog>[1]) {
  const result = parseDecisionLog(Buffer.isBuffer(input) ? input : Buffer.from(input), opts);
  return { records: result.records.length, rejected: result.rejected.map((r) => [r.line, r.reason]) };
}

describe("malformed input corpus", () => {
  it("empty and whitespace-only input", () => {
    const empty = "line 1: input is empty: expected NDJSON lines, a JSON object or a JSON array of decision log items";
    expect(reasons("")).toEqual({ records: 0, rejected: [[1, empty]] });
    expect(reasons("\n\r\n  \n")).toEqual({ records: 0, rejected: [[1, empty]] });
    expect(reasons(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual({ records: 0, rejected: [[1, empty]] });
    expect(reasons("[]")).toEqual({ records: 0, rejected: [] });
  });

  it("a truncated NDJSON line costs only that line", () => {
    const input = [access("01A"), '{"callId":"01B","timestamp":"2026-11-23T18:1', access("01C")].join("\n");
    expect(reasons(input)).toEqual({ records: 2, rejected: [[2, "line 2: truncated JSON: the value is not closed by the end of the line"]] });
  });

  it("trailing garbage after a line's object", () => {
    const { rejected } = reasons(`${access()}\n${access()} xyz\n`);
    expect(rejected).toHaveLength(1);
    expect(rejected[0][1]).toMatch(/^line 2: invalid JSON: /);
  });

  it("non-JSON text", () => {
    const { records, rejected } = reasons("hello world\nsecond line\n");
    expect(records).toBe(0);
    expect(rejected.map(([line]) => line)).toEqual([1, 2]);
    expect(rejected[0][1]).toMatch(/^line 1: invalid JSON: .*/);
  });

  it("wrong field types name the field", () => {
    const bad = JSON.stringify({
      callId: "01W",
      timestamp: "2026-01-01T00:00:00Z",
      checkResources: { inputs: [{ actions: ["view"] }], outputs: [{ actions: ["view"] }] },
    });
    expect(reasons(bad).rejected).toEqual([[1, "line 1: checkResources.outputs[0].actions must be an object, got an array"]]);
    const twoProblems = JSON.stringify({ callId: 7, timestamp: "2026-01-01T00:00:00Z", checkResources: { inputs: [{ actions: "view" }] } });
    expect(reasons(twoProblems).rejected).toEqual([[1, "line 1: callId must be a string, got a number (and 1 more problem)"]]);
    const admin = JSON.stringify({ result: { decisionLogEntry: { callId: "01", timestamp: "2026-01-01T00:00:00Z", checkResources: { inputs: [{ principal: { roles: "admin" } }] } } } });
    expect(reasons(admin).rejected).toEqual([[1, "line 1: result.decisionLogEntry.checkResources.inputs[0].principal.roles must be an array, got a string"]]);
    const keyed = JSON.stringify({ callId: "01", timestamp: "2026-01-01T00:00:00Z", checkResources: { outputs: [{ actions: { "view:public": { effect: 1 } } }] } });
    expect(reasons(keyed).rejected).toEqual([[1, 'line 1: checkResources.outputs[0].actions["view:public"].effect must be a string, got a number']]);
    expect(reasons(JSON.stringify({ decision_id: "d", path: "p", timestamp: "2026-01-01T00:00:00Z", labels: { id: 5 } })).rejected).toEqual([[1, "line 1: labels.id must be a string, got a number"]]);
  });

  it("missing or unparseable timestamps", () => {
    expect(reasons('{"callId":"01","method":"m"}').rejected).toEqual([[1, "line 1: timestamp is required (a string)"]]);
    expect(reasons('{"callId":"01","method":"m","timestamp":"yesterday"}').rejected).toEqual([
      [1, 'line 1: timestamp: "yesterday" is not an RFC 3339 timestamp (e.g. 2026-11-23T18:19:58.393174653Z)'],
    ]);
    expect(reasons('{"decision_id":"d","path":"p","timestamp":"2026-02-30T00:00:00Z"}').rejected).toEqual([[1, 'line 1: timestamp: "2026-02-30T00:00:00Z" is not a valid date/time']]);
  });

  it("unrecognised objects say what was expected", () => {
    expect(reasons('{"foo":1,"bar":{}}').rejected).toEqual([
      [1, 'line 1: not a decision log item: expected a Cerbos audit entry ("log.kind", {"result":{"decisionLogEntry"|"accessLogEntry"}} or "callId") or an OPA decision event ("decision_id" + "timestamp"); got an object with keys "foo", "bar"'],
    ]);
    expect(reasons('{"error":{"code":16,"message":"unauthenticated"}}').rejected[0][1]).toMatch(/got an object with keys "error"$/);
    expect(reasons('{"log.kind":"audit","callId":"x"}').rejected).toEqual([[1, 'line 1: log.kind must be "decision" or "access", got "audit"']]);
    expect(reasons('{"result":{"decisionLogEntry":[]}}').rejected).toEqual([[1, "line 1: result.decisionLogEntry must be an object, got an array"]]);
    expect(reasons('{"callId":"01","timestamp":"2026-01-01T00:00:00Z"}').rejected).toEqual([
      [1, "line 1: Cerbos audit entry has callId but neither checkResources/planResources/inputs (a decision entry) nor method (an access entry)"],
    ]);
    expect(reasons('{"decision_id":"d","timestamp":"2026-01-01T00:00:00Z"}').rejected).toEqual([[1, "line 1: OPA decision event has neither path (Data API) nor query (Query API)"]]);
  });

  it("arrays of non-objects", () => {
    expect(reasons(`[1, "x", null, [], ${opa()}]`)).toEqual({
      records: 1,
      rejected: [
        [1, "item 1: expected a JSON object (a decision log entry), got a number"],
        [2, "item 2: expected a JSON object (a decision log entry), got a string"],
        [3, "item 3: expected a JSON object (a decision log entry), got null"],
        [4, "item 4: expected a JSON object (a decision log entry), got an array"],
      ],
    });
  });

  it("broken arrays keep the elements before the break", () => {
    expect(reasons(`[${opa("a")},\n ${opa("b")},\n {"decision_id":"c","pa`)).toEqual({
      records: 2,
      rejected: [[3, "item 3: truncated JSON: the element is not closed by the end of input"]],
    });
    expect(reasons(`[${opa("a")} ${opa("b")}]`)).toEqual({ records: 1, rejected: [[2, "item 2: expected ',' or ']' after the previous element, found '{'"]] });
    expect(reasons(`[${opa("a")},,${opa("b")}]`)).toEqual({ records: 1, rejected: [[2, "item 2: empty array element (stray ',')"]] });
    expect(reasons(`[${opa("a")}`)).toEqual({ records: 1, rejected: [[2, "item 2: truncated JSON: the array is not closed by the end of input"]] });
  });

  it("deep nesting is rejected before JSON.parse, even when hostile", () => {
    const deep = (n: number) => `{"decision_id":"d","path":"p","timestamp":"2026-01-01T00:00:00Z","input":${"[".repeat(n)}${"]".repeat(n)}}`;
    expect(reasons(deep(62)).records).toBe(1);
    expect(reasons(deep(64)).rejected).toEqual([[1, "line 1: JSON nesting is 65 levels deep, deeper than the 64-level limit"]]);
    expect(reasons(`[${deep(100_000)}]`).rejected).toEqual([[1, "item 1: JSON nesting is 100001 levels deep, deeper than the 64-level limit"]]);
    const prettyHostile = `{\n  "input": ${"[".repeat(100_000)}\n${"]".repeat(100_000)}\n}\n`;
    expect(reasons(prettyHostile).rejected).toEqual([[1, "line 1: JSON nesting is 100001 levels deep, deeper than the 64-level limit"]]);
    expect(reasons(deep(10), { limits: { maxDepth: 5 } }).rejected).toEqual([[1, "line 1: JSON nesting is 11 levels deep, deeper than the 5-level limit"]]);
  });

  it("huge items are rejected by size with the line number", () => {
    const lines = Array.from({ length: 6 }, (_, i) => access(`0${i}`));
    const pad = "x".repeat(Math.round(5.2 * 1024 * 1024) - access("07", ',"pad":""').length);
    lines.push(access("07", `,"pad":"${pad}"`));
    lines.push(access("08"));
    expect(reasons(lines.join("\n"))).toEqual({ records: 7, rejected: [[7, "line 7: item is 5.2 MB, larger than the 4 MB limit"]] });
    expect(reasons(`[${opa()}]`, { limits: { maxItemBytes: 50 } }).rejected).toEqual([[1, `item 1: item is ${opa().length} bytes, larger than the 50 bytes limit`]]);
  });

  it("NUL and lone surrogates: raw kept exact, entry made storable, warning noted", () => {
    const line = '{"callId":"01N","timestamp":"2026-01-01T00:00:00Z","method":"m","peer":{"userAgent":"a\\u0000b","x\\u0000":"\\ud800"}}';
    const { records, rejected } = parseDecisionLog(Buffer.from(line));
    expect(rejected).toEqual([]);
    expect(records[0].raw.toString()).toBe(line);
    expect(records[0].entry.peer).toEqual({ userAgent: "a\uFFFDb", "x\uFFFD": "\uFFFD" });
    expect(records[0].warnings).toEqual(["3 NUL or unpaired-surrogate characters replaced with U+FFFD in entry (Postgres jsonb cannot store them); raw bytes are unchanged"]);
    const paired = '{"callId":"01N","timestamp":"2026-01-01T00:00:00Z","method":"m","peer":{"userAgent":"\\ud83d\\ude00"}}';
    expect(parseDecisionLog(Buffer.from(paired)).records[0].warnings).toBeUndefined();
  });

  it("invalid UTF-8 is kept in raw and noted", () => {
    const bytes = Buffer.concat([Buffer.from('{"callId":"01U","timestamp":"2026-01-01T00:00:00Z","method":"m","peer":{"userAgent":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
    const [record] = parseDecisionLog(bytes).records;
    expect(record.raw.equals(bytes)).toBe(true);
    expect(record.warnings).toEqual(["invalid UTF-8 bytes were replaced with U+FFFD in entry; raw bytes are unchanged"]);
  });

  it("a hint rejects items of the other engine", () => {
    expect(reasons(`${access()}\n${opa()}`, { hint: "cerbos" }).rejected).toEqual([[2, "line 2: this is an OPA item but Cerbos input was expected"]]);
    expect(reasons(`${access()}\n${opa()}`, { hint: "opa" }).rejected).toEqual([[1, "line 1: this is a Cerbos item but OPA input was expected"]]);
    expect(reasons('{"x":1}', { hint: "opa" }).rejected[0][1]).toMatch(/^line 1: not a decision log item: expected an OPA decision event/);
  });
});
