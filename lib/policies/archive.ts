// Reads the regular files of a zip, tar or tar.gz archive into memory. Tar is parsed here (512-byte
// headers, ustar prefix, pax `path` and GNU long names): it is small and avoids a dependency; zip
// goes through fflate, which the project already uses.
import { Gunzip, unzipSync } from "fflate";

export interface ArchiveEntry {
  /** Path inside the archive, forward slashes, no leading "./". */
  path: string;
  bytes: Uint8Array;
}

export type ArchiveKind = "zip" | "tar" | "tar.gz";

// Archives arrive from browser uploads too: bound what they may expand to (zip bombs), far above
// any real policy repository.
export const MAX_ARCHIVE_EXPANDED_BYTES = 256 * 1024 * 1024;
export const MAX_ARCHIVE_ENTRIES = 50_000;

function tooLarge(name: string): Error {
  return new Error(`${name} expands to more than ${MAX_ARCHIVE_EXPANDED_BYTES / (1024 * 1024)} MiB or ${MAX_ARCHIVE_ENTRIES} entries: not a policy archive`);
}

/** gunzip that stops as soon as the output passes the limit (input is fed in small slices, so output chunks stay small). */
function gunzipLimited(bytes: Uint8Array, name: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const gunzip = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > MAX_ARCHIVE_EXPANDED_BYTES) throw tooLarge(name);
    chunks.push(chunk);
  });
  const SLICE = 16 * 1024;
  for (let i = 0; i < bytes.length; i += SLICE) gunzip.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** Recognises an archive by its first bytes; undefined when it is none we read. */
export function archiveKindOf(head: Uint8Array): ArchiveKind | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return "zip";
  if (head[0] === 0x1f && head[1] === 0x8b) return "tar.gz";
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString("latin1") === "ustar") return "tar";
  return undefined;
}

function cleanPath(p: string): string {
  return p.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

function assertSafePath(p: string): void {
  if (p.split("/").includes("..")) throw new Error(`archive entry ${JSON.stringify(p)} escapes the archive root`);
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return Buffer.from(nul === -1 ? field : field.subarray(0, nul)).toString("utf8");
}

function readOctal(block: Uint8Array, offset: number, length: number): number {
  if (block[offset]! & 0x80) throw new Error("tar entry larger than 8 GiB (base-256 size) is not supported");
  const text = readString(block, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

/** pax extended header records: "<len> <key>=<value>\n", where <len> counts bytes. Only `path` matters here. */
function paxPath(data: Uint8Array): string | undefined {
  const buf = Buffer.from(data);
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(buf.subarray(pos, space).toString("latin1"), 10);
    if (!(len > 0)) break;
    const record = buf.subarray(space + 1, pos + len - 1).toString("utf8");
    if (record.startsWith("path=")) return record.slice(5);
    pos += len;
  }
  return undefined;
}

export function readTar(tar: Uint8Array): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= tar.length) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = pos + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    if (data.length < size) throw new Error("tar archive is truncated");
    pos = dataStart + Math.ceil(size / 512) * 512;
    if (type === "x" || type === "L") {
      longName = type === "x" ? paxPath(data) : readString(data, 0, data.length);
      continue;
    }
    if (type === "g") continue; // global pax header: nothing we need
    const magic = readString(header, 257, 6);
    const prefix = magic.startsWith("ustar") ? readString(header, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100));
    longName = undefined;
    if (type !== "0" && type !== "\0" && type !== "7") continue; // directories, links, devices
    const path = cleanPath(name);
    assertSafePath(path);
    entries.push({ path, bytes: data });
    if (entries.length > MAX_ARCHIVE_ENTRIES) throw new Error(`the tar archive has more than ${MAX_ARCHIVE_ENTRIES} entries: not a policy archive`);
  }
  return entries;
}

export function readZip(zip: Uint8Array, name = "archive"): ArchiveEntry[] {
  let declared = 0;
  let count = 0;
  const files = unzipSync(zip, {
    filter: (file) => {
      declared += file.originalSize;
      if (++count > MAX_ARCHIVE_ENTRIES || declared > MAX_ARCHIVE_EXPANDED_BYTES) throw tooLarge(name);
      return true;
    },
  });
  const entries: ArchiveEntry[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith("/")) continue; // directory entry
    const path = cleanPath(name);
    assertSafePath(path);
    entries.push({ path, bytes });
  }
  return entries;
}

/** All regular files of an archive; throws for formats it does not recognise. */
export function readArchive(bytes: Uint8Array, name: string): ArchiveEntry[] {
  const kind = archiveKindOf(bytes);
  if (kind === "zip") return readZip(bytes, name);
  if (kind === "tar") return readTar(bytes);
  if (kind === "tar.gz") {
    const tar = gunzipLimited(bytes, name);
    if (archiveKindOf(tar) !== "tar") throw new Error(`${name} is gzip-compressed but not a tar archive`);
    return readTar(tar);
  }
  throw new Error(`${name} is not a zip, tar or tar.gz archive`);
}
