// The `hindsight rego eval` contract other tooling parses: NDJSON per case, in input order.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import rego from "../../../bin/commands/rego.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const code = await rego(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

describe("hindsight rego eval", () => {
  const dir = mkdtempSync(join(tmpdir(), "rego-cli-"));

  it("--cases prints one NDJSON line per case, ignoring want_* fields", async () => {
    const file = join(dir, "cases.json");
    writeFileSync(
      file,
      JSON.stringify({
        cases: [
          { note: "a/ok", file: "a/t.json", query: "data.t.p = x", modules: ["package t\np := 1 + 2\n"], want_result: [{ x: 999 }] },
          { note: "a/err", file: "a/t.json", query: "data.t.p = x", modules: ["package t\np := 1 / 0\n"], strict_error: true },
          { note: "a/big", query: "x = 12345678901234567890 + 1" },
        ],
      }),
    );
    const { code, out } = await run(["eval", "--cases", file]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0])).toEqual({ file: "a/t.json", note: "a/ok", result: [{ x: 3 }] });
    expect(JSON.parse(lines[1]).error.code).toBe("eval_builtin_error");
    expect(lines[2]).toContain('"x":12345678901234567891');
  });

  it("--bundle evaluates a query against a directory bundle with input", async () => {
    const bundle = join(dir, "bundle");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(bundle, "authz"), { recursive: true });
    writeFileSync(join(bundle, "authz", "policy.rego"), "package authz\ndefault allow := false\nallow if input.user in data.authz.admins\n");
    writeFileSync(join(bundle, "authz", "data.json"), '{"admins": ["alice"]}');
    writeFileSync(join(dir, "input.json"), '{"user": "alice"}');
    const { code, out } = await run(["eval", "--bundle", bundle, "--query", "data.authz.allow", "--input", join(dir, "input.json")]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ result: [{ value: true }] });
  });

  it("rejects unusable arguments with exit 2", async () => {
    expect((await run(["eval"])).code).toBe(2);
    expect((await run(["eval", "--bundle", dir])).code).toBe(2);
  });
});
