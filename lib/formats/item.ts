// One item slice → a ParsedRecord or an ItemRejection. Cheap checks (size, depth) come before
// JSON.parse so hostile input costs neither memory nor stack; nothing here throws.

import { isUtf8 } from "node:buffer";
import { buildRecordDraft } from "./detect.ts";
import type { ItemSlice } from "./layout.ts";
import { mayNeedSanitizing, sanitizeForJsonb } from "./sanitize.ts";
import type { Engine, ItemRejection, JsonValue, ParsedRecord, ParseLimits } from "./types.ts";

export function formatBytes(n: number): string {
  const trim = (x: number) => x.toFixed(1).replace(/\.0$/, "");
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${trim(n / 1024)} KB`;
  if (n < 1024 * 1024 * 1024) return `${trim(n / (1024 * 1024))} MB`;
  return `${trim(n / (1024 * 1024 * 1024))} GB`;
}

function sizeProblem(size: number, limits: ParseLimits): string | null {
  if (size <= limits.maxItemBytes) return null;
  return `item is ${formatBytes(size)}, larger than the ${formatBytes(limits.maxItemBytes)} limit`;
}

/**
 * Longest identifier accepted (UTF-8 bytes). Identifiers are indexed for lookups and explorer filters,
 * and Postgres cannot index a value much past 2.7 KB: one such item once failed its whole batch with a
 * 500 (and OPA re-sends a failed chunk forever). Real ids (UUIDs, ULIDs, principals, paths) are far shorter.
 */
export const MAX_IDENTIFIER_BYTES = 1024;

type Draft = Pick<ParsedRecord, "engine" | "recordKey" | "pdpInstance" | "hops">;

function overlongIdentifier(d: Draft): string | null {
  const check = (field: string, value: string | null | undefined): string | null => {
    if (value == null || value.length * 3 <= MAX_IDENTIFIER_BYTES) return null; // cheap bound first
    const bytes = Buffer.byteLength(value, "utf8");
    return bytes > MAX_IDENTIFIER_BYTES ? `${field} is ${formatBytes(bytes)}, longer than the ${MAX_IDENTIFIER_BYTES}-byte limit for identifiers` : null;
  };
  const problem = check(d.engine === "opa" ? "decision_id" : "callId", d.recordKey) ?? check("labels.id", d.pdpInstance);
  if (problem) return problem;
  for (const h of d.hops) {
    const hop =
      check("principal id", h.principalId) ??
      check("acting agent", h.actingAgent) ??
      check("action", h.action) ??
      check("resource kind", h.resourceKind) ??
      check("resource id", h.resourceId) ??
      check("policy", h.policy) ??
      check("policy source (revision / commit)", h.policySourceRef);
    if (hop) return hop;
  }
  return null;
}

export interface ItemContext {
  limits: ParseLimits;
  hint?: Engine;
}

export function parseItem(buf: Buffer, slice: ItemSlice, ctx: ItemContext): ParsedRecord | ItemRejection {
  const reject = (why: string): ItemRejection => ({ line: slice.line, reason: `${slice.label}: ${why}` });
  const size = slice.end - slice.start;
  const tooBig = sizeProblem(size, ctx.limits);
  if (tooBig) return reject(tooBig);
  if (slice.problem) return reject(slice.problem);
  if (slice.depth > ctx.limits.maxDepth) {
    return reject(`JSON nesting is ${slice.depth} levels deep, deeper than the ${ctx.limits.maxDepth}-level limit`);
  }
  const raw = buf.subarray(slice.start, slice.end);
  const warnings: string[] = [];
  if (!isUtf8(raw)) warnings.push("invalid UTF-8 bytes were replaced with U+FFFD in entry; raw bytes are unchanged");
  const text = raw.toString("utf8");
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (err) {
    return reject(`invalid JSON: ${(err as Error).message}`);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && mayNeedSanitizing(text)) {
    const { value: clean, replaced } = sanitizeForJsonb(value);
    if (replaced > 0) {
      value = clean;
      warnings.push(`${replaced} NUL or unpaired-surrogate character${replaced > 1 ? "s" : ""} replaced with U+FFFD in entry (Postgres jsonb cannot store them); raw bytes are unchanged`);
    }
  }
  let draft;
  try {
    draft = buildRecordDraft(value, ctx.hint);
  } catch (err) {
    // A bug in a builder must cost one item, not the whole batch.
    return reject(`internal error while reading the item: ${(err as Error).message}`);
  }
  if (typeof draft === "string") return reject(draft);
  const overlong = overlongIdentifier(draft);
  if (overlong) return reject(overlong);
  const record: ParsedRecord = { ...draft, raw };
  if (warnings.length) record.warnings = warnings;
  return record;
}

export function isRejection(x: ParsedRecord | ItemRejection): x is ItemRejection {
  return "reason" in x;
}
