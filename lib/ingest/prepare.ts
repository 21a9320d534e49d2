// Turns parsed records into rows: hashes, identity key, PDP instance, search text, and (for the COPY
// path) the CSV text of every column that does not depend on the database. Encoding ahead of the write
// lets the next chunk be prepared while Postgres is still copying the previous one.
import type { HopFields, ParsedRecord } from "../formats/types.ts";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { csvBytea, csvText, csvTextArray, stripNul } from "./copy-encoding.ts";
import { leafHash } from "./merkle.ts";

export interface PreparedRecord {
  parsed: ParsedRecord;
  pdpInstance: string;
  recordKey: string;
  rawSha256: string;
  contentSha256: string;
  /** RFC 9162 leaf hash of the raw bytes. */
  leafHash: Buffer;
  /** JSON text of the entry for the jsonb column (NUL-free). */
  parsedJson: string;
  /** COPY path only: CSV of the record's columns after the database-assigned ones (see write.ts). */
  recordCsvBody?: string;
  /** COPY path only: CSV of each hop's columns after the database-assigned ones. */
  hopCsvBodies?: string[];
}

/**
 * The decision time as text for Postgres, which keeps microseconds: the record's own RFC 3339 stamp
 * (fraction cut to 6 digits, so it never rounds into the next second) rather than the millisecond Date.
 */
export function decidedAtText(p: ParsedRecord): string {
  const stamp = p.entry.timestamp;
  if (typeof stamp === "string") {
    const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(stamp);
    if (m && !m[1].endsWith(":60")) return `${m[1]}${m[2] ? "." + m[2].slice(0, 6) : ""}${m[3]}`;
  }
  return p.decidedAt.toISOString();
}

export interface PrepareOptions {
  fallbackPdp: string;
  /** Pre-encode CSV for COPY, with the batch it belongs to. */
  csv?: { batchId: string; isDemo: boolean };
}

/** The identity that makes two items "the same record"; conflicts share it up to the content hash. */
export function identityOf(p: { parsed: ParsedRecord; pdpInstance: string; recordKey: string }): string {
  return `${p.parsed.engine}\u0001${p.pdpInstance}\u0001${p.parsed.kind}\u0001${p.recordKey}`;
}

export function prepareRecord(parsed: ParsedRecord, fallbackPdpOrOptions: string | PrepareOptions): PreparedRecord {
  const opts = typeof fallbackPdpOrOptions === "string" ? { fallbackPdp: fallbackPdpOrOptions } : fallbackPdpOrOptions;
  let parsedJson = JSON.stringify(parsed.entry);
  // jsonb rejects \u0000; the raw bytes keep it, the query copy gets U+FFFD.
  if (parsedJson.includes("\\u0000")) parsedJson = JSON.stringify(replaceNulDeep(parsed.entry));
  const contentSha256 = sha256Hex(canonicalJson(parsed.entry));
  const prepared: PreparedRecord = {
    parsed,
    pdpInstance: parsed.pdpInstance ?? opts.fallbackPdp,
    recordKey: parsed.recordKey ?? `sha256:${contentSha256}`,
    rawSha256: sha256Hex(parsed.raw),
    contentSha256,
    leafHash: leafHash(parsed.raw),
    parsedJson,
  };
  if (opts.csv) {
    prepared.recordCsvBody = recordCsvBody(prepared, opts.csv.batchId, opts.csv.isDemo);
    prepared.hopCsvBodies = parsed.hops.map((h) => hopCsvBody(prepared, h));
  }
  return prepared;
}

/** Prepares a chunk, yielding to the event loop now and then so a COPY in flight keeps streaming. */
export async function prepareChunk(records: ParsedRecord[], opts: PrepareOptions, sliceSize = 200): Promise<PreparedRecord[]> {
  const out: PreparedRecord[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    out[i] = prepareRecord(records[i], opts);
    if (i % sliceSize === sliceSize - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

// Column order after the database-assigned prefix; write.ts names the full column lists.
export const RECORD_BODY_COLUMNS =
  "engine, kind, format, pdp_instance, record_key, raw_bytes, raw_sha256, content_sha256, parsed, decided_at, batch_id, is_demo, leaf_hash";
export const HOP_BODY_COLUMNS =
  "input_index, decided_at, engine, pdp_instance, method, record_key, request_id, principal_id, roles, acting_agent, action, resource_kind, resource_id, effect, policy, scope, policy_version, policy_source_ref, derived_roles, search_text";

function recordCsvBody(rec: PreparedRecord, batchId: string, isDemo: boolean): string {
  const p = rec.parsed;
  return [
    p.engine,
    p.kind,
    p.format,
    csvText(rec.pdpInstance),
    csvText(rec.recordKey),
    csvBytea(p.raw),
    rec.rawSha256,
    rec.contentSha256,
    csvText(rec.parsedJson),
    decidedAtText(p),
    batchId,
    isDemo ? "t" : "f",
    rec.leafHash.toString("hex"),
  ].join(",");
}

function hopCsvBody(rec: PreparedRecord, h: HopFields): string {
  const p = rec.parsed;
  return [
    String(h.inputIndex),
    decidedAtText(p),
    p.engine,
    csvText(rec.pdpInstance),
    csvText(h.method),
    csvText(rec.recordKey),
    csvText(h.requestId),
    csvText(h.principalId),
    csvTextArray(h.roles),
    csvText(h.actingAgent),
    csvText(h.action),
    csvText(h.resourceKind),
    csvText(h.resourceId),
    h.effect,
    csvText(h.policy),
    csvText(h.scope),
    csvText(h.policyVersion),
    csvText(h.policySourceRef),
    csvTextArray(h.derivedRoles),
    csvText(hopSearchText(h, rec.recordKey, rec.pdpInstance)),
  ].join(",");
}

function replaceNulDeep(value: unknown): unknown {
  if (typeof value === "string") return stripNul(value);
  if (Array.isArray(value)) return value.map(replaceNulDeep);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripNul(k)] = replaceNulDeep(v);
    return out;
  }
  return value;
}

export function hopSearchText(hop: HopFields, recordKey: string, pdpInstance: string): string {
  return [
    hop.principalId,
    hop.actingAgent,
    hop.action,
    hop.resourceKind,
    hop.resourceId,
    hop.policy,
    hop.policyVersion,
    hop.requestId,
    recordKey,
    pdpInstance,
    ...hop.roles,
    ...hop.derivedRoles,
  ]
    .filter((s): s is string => !!s)
    .join(" ")
    .toLowerCase();
}
