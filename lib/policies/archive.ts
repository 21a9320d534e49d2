// Reads the regular files of a zip, tar or tar.gz archive into memory. Tar is parsed here (512-byte
// headers, ustar prefix, pax `path` and GNU long names): it is small and avoids a dependency; zip
// goes through fflate, which the project already uses.
import { gunzipSync, unzipSync } from "fflate";

export interface ArchiveEntry {
  /** Path inside the archive, forward slashes, no leading "./". */
  path: string;
  bytes: Uint8Array;
}

export type ArchiveKind = "zip" | "tar" | "tar.gz";

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

/** pax extended header records: "<len> <key>=<value>\n". Only `path` matters here. */
function paxPath(data: Uint8Array): string | undefined {
  const text = Buffer.from(data).toString("utf8");
  let pos = 0;
  while (pos < text.length) {
    const space = text.indexOf(" ", pos);
    if (space === -1) break;
    const len = parseInt(text.slice(pos, space), 10);
    if (!(len > 0)) break;
    const record = text.slice(space + 1, pos + len - 1);
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
  }
  return entries;
}

export function readZip(zip: Uint8Array): ArchiveEntry[] {
  const files = unzipSync(zip);
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
  if (kind === "zip") return readZip(bytes);
  if (kind === "tar") return readTar(bytes);
  if (kind === "tar.gz") {
    const tar = gunzipSync(bytes);
    if (archiveKindOf(tar) !== "tar") throw new Error(`${name} is gzip-compressed but not a tar archive`);
    return readTar(tar);
  }
  throw new Error(`${name} is not a zip, tar or tar.gz archive`);
}
