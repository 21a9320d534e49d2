// Masking a stored record for display: the parsed entry (what the detail page's sections show), the
// raw bytes as JSON (the raw view and the raw download), and JWT claims decoded from a token in the
// record (OPA logs tokens, Cerbos logs claims: both are masked as `auxData.jwt.<claim>` so one rule
// covers both). Pure.
import { decodeJwtClaims } from "../formats/jwt-claims.ts";
import { maskJson, type MaskedField, type MaskResult, maskMarker, type PathKey, valueAtPointer } from "./mask.ts";
import type { RuleSet } from "./rules.ts";

/** Where the entry sits inside the raw bytes of each wire format (so `$.x` means the entry's x in both). */
export function rawAnchors(format: string): PathKey[][] {
  return format === "cerbos.admin" ? [[], ["result", "decisionLogEntry"], ["result", "accessLogEntry"]] : [[]];
}

export function maskEntry<T>(entry: T, rules: RuleSet): MaskResult<T> {
  return maskJson(entry, rules);
}

export interface MaskedRaw {
  /** The raw bytes as JSON, masked; null when the bytes are not JSON (then `text` says why). */
  value: unknown;
  /** Pretty-printed masked JSON; or, for bytes that are not JSON, one marker for the whole record. */
  text: string;
  masked: MaskedField[];
  /** True when nothing was masked: the raw bytes themselves are safe to hand out. */
  unchanged: boolean;
}

/**
 * Masks a record's raw text. Bytes that are not JSON cannot be checked path by path, so they are
 * withheld whole (stored records come from parsed items, so this is a corrupted or hand-made row).
 */
export function maskRawText(rawText: string, format: string, rules: RuleSet): MaskedRaw {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawText);
  } catch {
    if (rules.paths.length === 0 && rules.detectors.size === 0) return { value: null, text: rawText, masked: [], unchanged: true };
    const label = "not JSON: cannot be checked";
    return { value: null, text: maskMarker(label), masked: [{ pointer: "", path: "(whole record)", label, rule: "not JSON" }], unchanged: false };
  }
  const { value, masked } = maskJson(parsed, rules, { anchors: rawAnchors(format) });
  return { value, text: JSON.stringify(value, null, 2), masked, unchanged: masked.length === 0 };
}

/** The raw JSON value at a pointer (for the reveal route), or undefined. */
export function rawValueAt(rawText: string, pointer: string): unknown {
  try {
    return valueAtPointer(JSON.parse(rawText), pointer);
  } catch {
    return undefined;
  }
}

/** Decoded claims masked as if Cerbos had logged them under auxData.jwt; pointers are relative to the claims. */
export function maskJwtClaims<T>(claims: T, rules: RuleSet): MaskResult<T> {
  const { value, masked } = maskJson({ auxData: { jwt: claims } }, rules);
  const prefix = "/auxData/jwt";
  return {
    value: (value as { auxData: { jwt: T } }).auxData.jwt,
    masked: masked.map((m) => ({ ...m, pointer: m.pointer.slice(prefix.length), path: m.path.replace(/^auxData\.jwt\.?/, "") })),
  };
}

/** The claim at `claimPointer` of the token found at `tokenPointer` in the entry (for the reveal route). */
export function jwtClaimAt(entry: unknown, tokenPointer: string, claimPointer: string): unknown {
  const claims = decodeJwtClaims(valueAtPointer(entry, tokenPointer));
  return claims ? valueAtPointer(claims, claimPointer) : undefined;
}
