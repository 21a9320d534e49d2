// Everything the record detail page needs masked, in one pass over a RecordDetail: the parsed entry
// (sections), the raw text (raw view), the indexed hops (hops table) and the JWT claims decoded from
// tokens in an OPA input (which the masked entry no longer holds). Pure.
import type { RecordDetail, RecordHop } from "../explorer/record-detail.ts";
import { findJwtClaims } from "../explorer/opa-view.ts";
import type { JsonObject } from "../formats/types.ts";
import { maskHopRow, type MaskedCell } from "./hop-document.ts";
import { type MaskedField, maskJson } from "./mask.ts";
import { type MaskedRaw, maskJwtClaims, maskRawText } from "./record.ts";
import type { RuleSet } from "./rules.ts";

export interface MaskedRecordView {
  entry: JsonObject;
  entryMasked: MaskedField[];
  raw: MaskedRaw | null;
  hops: RecordHop[];
  hopCells: Record<string, Record<string, MaskedCell>>;
  jwtClaims: { pointer: string; claims: JsonObject; masked: { pointer: string; label: string }[] }[];
}

export function maskRecordView(detail: RecordDetail, rules: RuleSet): MaskedRecordView {
  const { value: entry, masked: entryMasked } = maskJson(detail.parsed, rules);
  const raw = detail.rawText === null ? null : maskRawText(detail.rawText, detail.format, rules);
  const hopCells: MaskedRecordView["hopCells"] = {};
  const hops = detail.hops.map((h) => {
    const { row, masked } = maskHopRow({ ...h, pdpInstance: detail.pdpInstance, recordKey: detail.recordKey }, rules);
    if (Object.keys(masked).length) hopCells[h.id] = masked;
    const { pdpInstance: _p, recordKey: _k, ...rest } = row;
    return rest as RecordHop;
  });
  const jwtClaims =
    detail.engine === "opa"
      ? findJwtClaims(detail.parsed.input).map((j) => {
          const { value, masked } = maskJwtClaims(j.claims, rules);
          return { pointer: j.pointer, claims: value, masked: masked.map((m) => ({ pointer: m.pointer, label: m.label })) };
        })
      : [];
  return { entry, entryMasked, raw, hops, hopCells, jwtClaims };
}
