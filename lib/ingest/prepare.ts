// Turns parsed records into rows: hashes, identity key, PDP instance, search text.
import type { HopFields, ParsedRecord } from "../formats/types.ts";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { stripNul } from "./copy-encoding.ts";

export interface PreparedRecord {
  parsed: ParsedRecord;
  pdpInstance: string;
  recordKey: string;
  rawSha256: string;
  contentSha256: string;
  /** JSON text of the entry for the jsonb column (NUL-free). */
  parsedJson: string;
}

/** The identity that makes two items "the same record"; conflicts share it up to the content hash. */
export function identityOf(p: { parsed: ParsedRecord; pdpInstance: string; recordKey: string }): string {
  return `${p.parsed.engine}\u0001${p.pdpInstance}\u0001${p.parsed.kind}\u0001${p.recordKey}`;
}

export function prepareRecord(parsed: ParsedRecord, fallbackPdp: string): PreparedRecord {
  let parsedJson = JSON.stringify(parsed.entry);
  // jsonb rejects \u0000; the raw bytes keep it, the query copy gets U+FFFD.
  if (parsedJson.includes("\\u0000")) parsedJson = JSON.stringify(replaceNulDeep(parsed.entry));
  const contentSha256 = sha256Hex(canonicalJson(parsed.entry));
  return {
    parsed,
    pdpInstance: parsed.pdpInstance ?? fallbackPdp,
    recordKey: parsed.recordKey ?? `sha256:${contentSha256}`,
    rawSha256: sha256Hex(parsed.raw),
    contentSha256,
    parsedJson,
  };
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
