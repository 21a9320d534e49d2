import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { archiveKindOf, readArchive } from "./archive.ts";

const work = mkdtempSync(join(tmpdir(), "hindsight-archive-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LONG = `${"deep/".repeat(30)}policy-with-a-long-name.yaml`; // > 100 bytes: needs a long-name header

function tarOf(format: "gnu" | "pax" | "ustar", files: Record<string, string>, gzip: boolean): Buffer {
  const src = mkdtempSync(join(work, "src-"));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(src, p)), { recursive: true });
    writeFileSync(join(src, p), t);
  }
  const out = join(work, `a-${format}-${Math.random().toString(36).slice(2)}.tar${gzip ? ".gz" : ""}`);
  execFileSync("tar", [gzip ? "-czf" : "-cf", out, `--format=${format}`, "-C", src, ...Object.keys(files)]);
  return readFileSync(out);
}

describe("archives", () => {
  it("reads GNU and pax tar long names, gzip or not", () => {
    for (const format of ["gnu", "pax"] as const) {
      for (const gzip of [false, true]) {
        const entries = readArchive(tarOf(format, { [LONG]: "long", "a.yaml": "a: 1\n", "ünïcode.yaml": "u" }, gzip), "x");
        expect(Object.fromEntries(entries.map((e) => [e.path, Buffer.from(e.bytes).toString()]))).toEqual({ [LONG]: "long", "a.yaml": "a: 1\n", "ünïcode.yaml": "u" });
      }
    }
  });

  it("reads ustar prefixes and zip files, skipping directory entries", () => {
    const ustar = readArchive(tarOf("ustar", { [`${"p/".repeat(60)}x.yaml`]: "x" }, false), "x");
    expect(ustar.map((e) => e.path)).toEqual([`${"p/".repeat(60)}x.yaml`]);
    const zip = zipSync({ "top/": new Uint8Array(), "top/a.yaml": strToU8("a"), "./top/b.json": strToU8("{}") });
    expect(readArchive(zip, "z.zip").map((e) => e.path).sort()).toEqual(["top/a.yaml", "top/b.json"]);
  });

  it("refuses paths that escape the root and unknown formats", () => {
    const zip = zipSync({ "../evil.yaml": strToU8("x") });
    expect(() => readArchive(zip, "z.zip")).toThrow(/escapes the archive root/);
    expect(() => readArchive(Buffer.from("plain text"), "notes.txt")).toThrow(/not a zip, tar or tar.gz/);
    expect(archiveKindOf(new Uint8Array([0x1f, 0x8b]))).toBe("tar.gz");
  });
});
