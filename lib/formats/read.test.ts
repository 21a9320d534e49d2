import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseDecisionLog, parseDecisionLogChunk, type SourceLine } from "./index.ts";
import { BadGzipError, gunzipLimited, PayloadTooLargeError, readDecisionLogLines, readInputFile } from "./read.ts";
import { fixture } from "./testdata/fixture.ts";

const dir = mkdtempSync(path.join(tmpdir(), "formats-read-"));
function file(name: string, bytes: Buffer | string): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe("readInputFile / gunzipLimited", () => {
  it("reads plain and gzipped files (detected by magic bytes, not name)", async () => {
    const plain = fixture("cerbos-file-lab.ndjson");
    expect((await readInputFile(file("a.ndjson", plain))).equals(plain)).toBe(true);
    expect((await readInputFile(file("b.log", gzipSync(plain)))).equals(plain)).toBe(true);
    const twoMembers = Buffer.concat([gzipSync(plain.subarray(0, 100)), gzipSync(plain.subarray(100))]);
    expect((await readInputFile(file("c.gz", twoMembers))).equals(plain)).toBe(true);
  });

  it("stops gzip bombs and oversized files with typed errors", async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expect(gunzipLimited(bomb, 1024 * 1024)).rejects.toThrow(PayloadTooLargeError);
    await expect(gunzipLimited(bomb, 1024 * 1024)).rejects.toThrow("gzip data decompresses to more than the 1 MB limit");
    await expect(readInputFile(file("bomb.gz", bomb), { maxBytes: 1024 * 1024 })).rejects.toThrow(PayloadTooLargeError);
    await expect(readInputFile(file("big.ndjson", Buffer.alloc(2048)), { maxBytes: 1024 })).rejects.toThrow(/is 2 KB, larger than the 1 KB limit/);
  });

  it("reports corrupt or truncated gzip", async () => {
    const gz = gzipSync(fixture("cerbos-file-lab.ndjson"));
    await expect(gunzipLimited(gz.subarray(0, gz.length - 20), 1 << 20)).rejects.toThrow(BadGzipError);
    await expect(gunzipLimited(Buffer.from([0x1f, 0x8b, 0, 0, 0]), 1 << 20)).rejects.toThrow(/^invalid gzip data: /);
  });
});

describe("readDecisionLogLines + parseDecisionLogChunk", () => {
  async function readAll(p: string, opts?: Parameters<typeof readDecisionLogLines>[1]) {
    const lines: SourceLine[] = [];
    let last = { bytesRead: 0, totalBytes: 0 };
    let chunks = 0;
    for await (const chunk of readDecisionLogLines(p, opts)) {
      lines.push(...chunk.lines);
      last = chunk;
      chunks++;
    }
    return { lines, last, chunks };
  }

  it("streams NDJSON (plain and gzip) in chunks with progress, matching the whole-file parse", async () => {
    const text = Array.from({ length: 300 }, () => fixture("cerbos-file-lab.ndjson").toString()).join("") + "\r\n\n";
    for (const bytes of [Buffer.from(text), gzipSync(text)]) {
      const p = file(`s${bytes.length}`, bytes);
      const { lines, last, chunks } = await readAll(p, { chunkBytes: 64 * 1024 });
      expect(chunks).toBeGreaterThan(3);
      expect(last.bytesRead).toBe(bytes.length);
      expect(last.totalBytes).toBe(bytes.length);
      const streamed = parseDecisionLogChunk(lines);
      const whole = parseDecisionLog(Buffer.from(text));
      expect(streamed.rejected).toEqual([]);
      expect(streamed.records.length).toBe(600);
      expect(streamed.records.map((r) => r.raw.toString())).toEqual(whole.records.map((r) => r.raw.toString()));
    }
  });

  it("skips over-long lines without holding them and reports them by line", async () => {
    const [a] = fixture("cerbos-file-lab.ndjson").toString().split("\n");
    const p = file("long.ndjson", `${a}\n{"pad":"${"x".repeat(5000)}"}\n${a}`);
    const { lines } = await readAll(p, { maxLineBytes: 1024 });
    expect(lines[1]).toEqual({ line: 2, bytes: Buffer.alloc(0), tooLargeBytes: 5010 });
    const result = parseDecisionLogChunk(lines, { limits: { maxItemBytes: 1024 } });
    expect(result.records.map((r) => r.kind)).toEqual(["access", "access"]);
    expect(result.rejected).toEqual([{ line: 2, reason: "line 2: item is 4.9 KB, larger than the 1 KB limit" }]);
  });

  it("tolerates a BOM on the first line", () => {
    const [a] = fixture("cerbos-file-lab.ndjson").toString().split("\n");
    const result = parseDecisionLogChunk([{ line: 1, bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(a)]) }]);
    expect(result.rejected).toEqual([]);
    expect(result.records[0].raw.toString()).toBe(a);
  });
});
