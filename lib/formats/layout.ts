// Splits a whole input into item byte ranges. Three layouts arrive in practice:
//  - NDJSON (Cerbos file backend, Admin API stream, OPA console): one item per line;
//  - a document: one pretty-printed object, several concatenated (`jq .` output), or a JSON array
//    (OPA upload batch) whose elements are the items;
//  - a mix of the above is not expected, but lines that hold a one-line array are accepted.
// Line mode matters because a truncated NDJSON line must cost only that line, whereas in a
// pretty-printed document a value legitimately spans lines.

import { countNewlines, isJsonWhitespace, scanValue, skipWhitespace, splitArray } from "./json-scan.ts";

export interface ItemSlice {
  start: number;
  end: number;
  /** ItemRejection.line: source line (NDJSON / document object) or 1-based array position. */
  line: number;
  /** Prefix for reasons: "line 3", "item 2", "line 4 item 2". */
  label: string;
  /** Bracket depth measured while scanning. */
  depth: number;
  /** Set when splitting already found the item broken; the item is rejected with this reason. */
  problem?: string;
}

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
/** A first value larger than this is assumed to be a real document rather than validated. */
const MAX_SNIFF_BYTES = 16 * 1024 * 1024;
const MAX_SNIFF_DEPTH = 256;

export function startAfterBom(buf: Uint8Array): number {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/** End of the line starting at `from` (index of '\n' or buffer end). */
function lineEnd(buf: Uint8Array, from: number): number {
  const nl = buf.indexOf(NEWLINE, from);
  return nl < 0 ? buf.length : nl;
}

function trimEnd(buf: Uint8Array, start: number, end: number): number {
  let e = end;
  while (e > start && isJsonWhitespace(buf[e - 1])) e--;
  return e;
}

/** Whether a column-0 line in [pos, end) holds exactly one complete object. */
function isCompleteObjectLine(buf: Uint8Array, pos: number, contentEnd: number): boolean {
  if (buf[pos] !== OPEN_BRACE) return false;
  const value = scanValue(buf, pos, contentEnd);
  return value.complete && value.end === contentEnd;
}

/** Whether the bytes in [start, end) are valid JSON (used once per input, on the first value). */
function parsesAsJson(buf: Uint8Array, start: number, end: number): boolean {
  try {
    JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/**
 * NDJSON when the first line holds one complete value. When the first value spans lines it is a
 * document (pretty-printed object, array), unless that "value" is really a truncated first line
 * (e.g. a log cut by `tail -c`) followed by complete column-0 object lines.
 */
export function looksLikeNdjson(buf: Uint8Array, from = startAfterBom(buf)): boolean {
  const first = skipWhitespace(buf, from, buf.length);
  if (first >= buf.length) return false;
  const firstEnd = lineEnd(buf, first);
  const firstContentEnd = trimEnd(buf, first, firstEnd);
  const opener = buf[first];
  if (opener !== OPEN_BRACE && opener !== OPEN_BRACKET) return false;
  const onFirstLine = scanValue(buf, first, firstContentEnd);
  if (opener === OPEN_BRACKET) {
    // One array alone is a document (an OPA upload body), so its elements are numbered as items;
    // several one-line arrays are NDJSON batches.
    return onFirstLine.complete && onFirstLine.end === firstContentEnd && skipWhitespace(buf, firstEnd, buf.length) < buf.length;
  }
  if (onFirstLine.complete && onFirstLine.end === firstContentEnd) return true;
  const spanning = scanValue(buf, first, buf.length);
  // Oversized or hostile first values are not worth validating: treat them as a document and let
  // the item checks reject them with a reason.
  if (spanning.complete && (spanning.end - first > MAX_SNIFF_BYTES || spanning.depth > MAX_SNIFF_DEPTH || parsesAsJson(buf, first, spanning.end))) return false;
  let pos = firstEnd + 1;
  for (let checked = 0; pos < buf.length && checked < 4; ) {
    const end = lineEnd(buf, pos);
    const contentEnd = trimEnd(buf, pos, end);
    if (contentEnd > pos) {
      checked++;
      if (isCompleteObjectLine(buf, pos, contentEnd)) return true;
    }
    pos = end + 1;
  }
  return false;
}

/** Slices one line (or a streamed line buffer) into items; `lineNo` is 1-based. */
export function sliceLine(buf: Uint8Array, start: number, end: number, lineNo: number, out: ItemSlice[], maxItems = Number.POSITIVE_INFINITY): void {
  const first = skipWhitespace(buf, start, end);
  const last = trimEnd(buf, first, end);
  if (first >= last) return;
  const label = `line ${lineNo}`;
  if (buf[first] === OPEN_BRACKET) {
    const split = splitArray(buf, first, last, maxItems - out.length);
    split.elements.forEach((el, k) => out.push({ start: el.start, end: el.end, line: lineNo, label: `${label} item ${k + 1}`, depth: el.depth }));
    if (split.error) {
      out.push({ start: first, end: last, line: lineNo, label: `${label} item ${split.error.elementIndex + 1}`, depth: 0, problem: split.error.message });
    } else if (skipWhitespace(buf, split.end, last) < last) {
      out.push({ start: first, end: last, line: lineNo, label, depth: 0, problem: "unexpected content after the closing ']' of the array" });
    }
    return;
  }
  const value = scanValue(buf, first, last);
  const problem = value.complete ? undefined : "truncated JSON: the value is not closed by the end of the line";
  // JSON.parse gets the whole line so trailing garbage is reported, not silently cut off.
  out.push({ start: first, end: last, line: lineNo, label, depth: value.depth, problem });
}

function sliceLines(buf: Uint8Array, from: number, out: ItemSlice[], maxItems: number): void {
  let pos = from;
  let lineNo = 1;
  while (pos < buf.length && out.length <= maxItems) {
    const end = lineEnd(buf, pos);
    sliceLine(buf, pos, end, lineNo, out, maxItems);
    pos = end + 1;
    lineNo++;
  }
}

function sliceDocument(buf: Uint8Array, from: number, out: ItemSlice[], maxItems: number): void {
  let pos = from;
  let lineNo = 1;
  let arrayPosition = 0;
  while (out.length <= maxItems) {
    const next = skipWhitespace(buf, pos, buf.length);
    if (next >= buf.length) return;
    lineNo += countNewlines(buf, pos, next);
    pos = next;
    const first = buf[pos];
    if (first === OPEN_BRACKET) {
      const split = splitArray(buf, pos, buf.length, maxItems - out.length);
      for (const el of split.elements) {
        arrayPosition++;
        out.push({ start: el.start, end: el.end, line: arrayPosition, label: `item ${arrayPosition}`, depth: el.depth });
      }
      if (split.error) {
        const position = arrayPosition - split.elements.length + split.error.elementIndex + 1;
        out.push({ start: pos, end: buf.length, line: position, label: `item ${position}`, depth: 0, problem: split.error.message });
        return;
      }
      lineNo += countNewlines(buf, pos, split.end);
      pos = split.end;
    } else if (first === OPEN_BRACE) {
      const value = scanValue(buf, pos, buf.length);
      if (!value.complete) {
        out.push({ start: pos, end: buf.length, line: lineNo, label: `line ${lineNo}`, depth: value.depth, problem: "truncated JSON: the object is not closed by the end of input" });
        return;
      }
      out.push({ start: pos, end: value.end, line: lineNo, label: `line ${lineNo}`, depth: value.depth });
      lineNo += countNewlines(buf, pos, value.end);
      pos = value.end;
    } else {
      // Not an object or array: take the rest of the line so one line of text is one rejection.
      const end = lineEnd(buf, pos);
      out.push({ start: pos, end: trimEnd(buf, pos, end), line: lineNo, label: `line ${lineNo}`, depth: 0 });
      pos = end;
    }
  }
}

/**
 * Splits the whole input into item slices (empty when the input holds nothing but whitespace). Stops
 * once it has more than `maxItems`: the caller rejects such an input whole.
 */
export function sliceInput(buf: Uint8Array, maxItems = Number.POSITIVE_INFINITY): ItemSlice[] {
  const from = startAfterBom(buf);
  const out: ItemSlice[] = [];
  if (looksLikeNdjson(buf, from)) sliceLines(buf, from, out, maxItems);
  else sliceDocument(buf, from, out, maxItems);
  return out;
}
