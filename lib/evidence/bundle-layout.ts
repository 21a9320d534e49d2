// File names inside an evidence bundle and the two hash listings (manifest `files`, SHA256SUMS). Pure:
// the exporter writes with these and the offline verifier reads with the same ones.
import { createHash } from "node:crypto";

export const MANIFEST = "manifest.json";
export const MANIFEST_SIG = "manifest.sig";
export const SHA256SUMS = "SHA256SUMS";
export const PUBLIC_KEY = "signing-key.pub.pem";
export const PROOFS = "proofs.json";
export const HOPS_JSON = "derived/hops.json";
export const HOPS_CSV = "derived/hops.csv";
export const TIMELINE_JSON = "derived/timeline.json";
export const TIMELINE_CSV = "derived/timeline.csv";
export const REPORT_HTML = "report/report.html";
export const REPORT_PDF = "report/report.pdf";
/** Masked copies of withheld records (masked bundles only). */
export const RECORDS_MASKED_PREFIX = "records-masked/";

export const MANIFEST_SCHEMA = "hindsight.evidence/v1";

export interface FileEntry {
  path: string;
  sha256: string;
  bytes: number;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function describeFile(path: string, data: Uint8Array): FileEntry {
  return { path, sha256: sha256Hex(data), bytes: data.byteLength };
}

/** Byte order, not locale order: the same on every machine. */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** `sha256sum` text-mode lines ("<hex>  <path>"), sorted by path, newline-terminated. */
export function formatSha256Sums(entries: { path: string; sha256: string }[]): string {
  return [...entries].sort(byPath).map((e) => `${e.sha256}  ${e.path}\n`).join("");
}

/** proofs.json: each record's hashes and its RFC 9162 inclusion proof against the bundle's checkpoint. */
export interface ProofsFile {
  algorithm: "RFC9162-SHA256";
  checkpoint: { origin: string; treeSize: number; rootHash: string };
  records: RecordProof[];
}

/**
 * A record shipped as its bytes has `file`; a record withheld as sensitive (masked bundle) has
 * `withheld`, `maskedFile` (its masked copy, covered by the signature, not by the proof) and
 * `maskedPaths`, and is proven from its leaf hash alone.
 */
export interface RecordProof {
  file?: string;
  withheld?: true;
  maskedFile?: string;
  maskedPaths?: string[];
  leafIndex: number;
  /** SHA-256(0x00 || raw bytes), hex. */
  leafHash: string;
  /** SHA-256(raw bytes), hex. */
  rawSha256: string;
  /** Sibling hashes, bottom-up, hex. */
  inclusionProof: string[];
}
