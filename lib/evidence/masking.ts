// Sensitive data in evidence bundles. By default a bundle is masked: every human-readable part (hops,
// timeline, reports, manifest counts and gaps) goes through the masking rules, and a record whose raw
// bytes hold anything the rules mask is WITHHELD: the bundle carries its leaf hash, SHA-256 and
// inclusion proof (still verified against the signed checkpoint) plus a masked copy under
// records-masked/, instead of the bytes. Records with nothing to mask ship byte-exact as before.
// Masking the bytes themselves would break the proofs (the leaf hash covers the exact bytes), which is
// why withholding, not editing, is the design. An exporter who needs the raw records asks for
// includeSensitive with a reason: recorded in the manifest and the audit trail. Pure.
import { RECORDS_MASKED_PREFIX } from "./bundle-layout.ts";
import type { EvidenceHop, EvidenceRecord } from "./collect.ts";
import { maskHopRow } from "../masking/hop-document.ts";
import { maskRawText } from "../masking/record.ts";
import type { RuleSet } from "../masking/rules.ts";

export const RECORDS_MASKED_DIR = RECORDS_MASKED_PREFIX;

export interface ManifestMasking {
  /** "masked": rules applied, sensitive records withheld; "sensitive-included": raw records and unmasked tables, with a reason. */
  mode: "masked" | "sensitive-included";
  /** The rules in force at export (as configured, @defaults expanded) and where they came from. */
  rules: string[];
  rulesSource: string;
  /** Why the exporter included sensitive data (sensitive-included only). */
  reason: string | null;
  /** Records shipped as masked copies with their leaf hash and proof instead of their bytes. */
  withheldRecords: number;
  /** Values masked in the withheld records' copies. */
  maskedValues: number;
}

export interface WithheldRecord {
  file: string;
  text: string;
  maskedPaths: string[];
}

export interface MaskedPopulation {
  /** Records as the human-readable parts show them (pdpInstance, recordKey masked when a rule says so). */
  records: EvidenceRecord[];
  hops: EvidenceHop[];
  /** leaf index → the masked copy shipped instead of the bytes. */
  withheld: Map<number, WithheldRecord>;
  maskedValues: number;
}

export function maskedRecordFileName(leafIndex: number, isJson: boolean): string {
  return `${RECORDS_MASKED_DIR}${String(leafIndex).padStart(9, "0")}.${isJson ? "json" : "txt"}`;
}

export function maskPopulation(records: EvidenceRecord[], hops: EvidenceHop[], rules: RuleSet): MaskedPopulation {
  const withheld = new Map<number, WithheldRecord>();
  let maskedValues = 0;
  const maskedRecords = records.map((r) => {
    const raw = maskRawText(r.rawBytes.toString("utf8"), r.format, rules);
    if (!raw.unchanged) {
      withheld.set(r.leafIndex, { file: maskedRecordFileName(r.leafIndex, raw.value !== null), text: raw.text + "\n", maskedPaths: raw.masked.map((m) => m.pointer) });
      maskedValues += raw.masked.length;
    }
    const { row } = maskHopRow({ pdpInstance: r.pdpInstance, recordKey: r.recordKey }, rules);
    return { ...r, pdpInstance: row.pdpInstance ?? r.pdpInstance, recordKey: row.recordKey ?? r.recordKey };
  });
  const maskedHops = hops.map((h) => maskHopRow(h, rules).row);
  return { records: maskedRecords, hops: maskedHops, withheld, maskedValues };
}
