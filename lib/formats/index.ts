// Entry points of lib/formats: bytes in, ParsedRecord / ItemRejection out. Pure: no I/O here
// (read.ts reads files). Never throws for bad input: each bad item becomes an ItemRejection.

import { isRejection, parseItem, formatBytes, type ItemContext } from "./item.ts";
import { sliceInput, sliceLine, startAfterBom, type ItemSlice } from "./layout.ts";
import { skipWhitespace } from "./json-scan.ts";
import { DEFAULT_PARSE_LIMITS, type Engine, type ParseLimits, type ParseResult } from "./types.ts";

export * from "./types.ts";
export { looksLikeNdjson } from "./layout.ts";
export { formatBytes } from "./item.ts";

export interface ParseOptions {
  limits?: Partial<ParseLimits>;
  /** The engine the caller expects (e.g. the route it arrived on); items of the other engine are rejected. */
  hint?: Engine;
}

/** One NDJSON line as read by a streaming reader (see read.ts `readDecisionLogLines`). */
export interface SourceLine {
  /** 1-based line number in the whole input. */
  line: number;
  /** The line's bytes without the line terminator (empty when it was too large to keep). */
  bytes: Buffer;
  /** Set when the line exceeded the reader's limit and was skipped: its full size in bytes. */
  tooLargeBytes?: number;
}

const EMPTY_INPUT = "line 1: input is empty: expected NDJSON lines, a JSON object or a JSON array of decision log items";

function contextOf(opts: ParseOptions | undefined): ItemContext {
  return { limits: { ...DEFAULT_PARSE_LIMITS, ...opts?.limits }, hint: opts?.hint };
}

function collect(buf: Buffer, slices: ItemSlice[], ctx: ItemContext, into: ParseResult): void {
  for (const slice of slices) {
    const out = parseItem(buf, slice, ctx);
    if (isRejection(out)) into.rejected.push(out);
    else into.records.push(out);
  }
}

/**
 * Parses a whole decision-log input: NDJSON (mixed shapes allowed), one JSON object (possibly
 * pretty-printed over many lines, or several concatenated), or a JSON array of items (OPA upload batch).
 */
export function parseDecisionLog(bytes: Buffer, opts?: ParseOptions): ParseResult {
  const result: ParseResult = { records: [], rejected: [] };
  if (skipWhitespace(bytes, startAfterBom(bytes), bytes.length) >= bytes.length) {
    result.rejected.push({ line: 1, reason: EMPTY_INPUT });
    return result;
  }
  try {
    const ctx = contextOf(opts);
    const slices = sliceInput(bytes, ctx.limits.maxItems);
    if (slices.length > ctx.limits.maxItems) {
      // Rejected whole, before any item is parsed: a few KB of gzip can hold millions of items.
      const max = ctx.limits.maxItems.toLocaleString("en-US");
      result.rejected.push({ line: 1, reason: `line 1: input holds more than ${max} items, the most one input may carry; split it into smaller batches` });
      return result;
    }
    collect(bytes, slices, ctx, result);
  } catch (err) {
    // Defensive: splitting is total over byte strings, but a bug must not become a 500 with no reason.
    result.rejected.push({ line: 1, reason: `line 1: internal error while splitting the input: ${(err as Error).message}` });
  }
  return result;
}

/** Parses a chunk of NDJSON lines from a streaming reader; blank lines are skipped. */
export function parseDecisionLogChunk(lines: readonly SourceLine[], opts?: ParseOptions): ParseResult {
  const ctx = contextOf(opts);
  const result: ParseResult = { records: [], rejected: [] };
  for (const { line, bytes, tooLargeBytes } of lines) {
    if (tooLargeBytes !== undefined) {
      result.rejected.push({ line, reason: `line ${line}: item is ${formatBytes(tooLargeBytes)}, larger than the ${formatBytes(ctx.limits.maxItemBytes)} limit` });
      continue;
    }
    const from = line === 1 ? startAfterBom(bytes) : 0;
    const slices: ItemSlice[] = [];
    sliceLine(bytes, from, bytes.length, line, slices);
    collect(bytes, slices, ctx, result);
  }
  return result;
}
