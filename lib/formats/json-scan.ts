// A byte-level JSON scanner that finds where values start and end without building them.
// It exists for two reasons: (1) each element of an OPA upload array must be stored as its exact
// bytes, which JSON.parse cannot tell us; (2) nesting depth must be measured before JSON.parse so a
// hostile `[[[[…` is rejected with a reason instead of costing stack in later recursive walks.
// It does not validate JSON grammar (JSON.parse does that on each slice); it only tracks strings,
// escapes and bracket depth, which is enough to find boundaries.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

export function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export function skipWhitespace(buf: Uint8Array, from: number, limit: number): number {
  let i = from;
  while (i < limit && isJsonWhitespace(buf[i])) i++;
  return i;
}

export interface ScannedValue {
  start: number;
  /** Exclusive end. For an unterminated value: the limit. */
  end: number;
  /** False when the input ended before the value closed (truncated JSON). */
  complete: boolean;
  /** Deepest bracket nesting inside the value (an object or array counts 1; primitives 0). */
  depth: number;
}

/** Index just past the closing quote of the string that opens at `start`, or -1 if unterminated. */
function endOfString(buf: Uint8Array, start: number, limit: number): number {
  let i = start + 1;
  for (;;) {
    const quote = indexOfByte(buf, QUOTE, i, limit);
    if (quote < 0) return -1;
    // A quote is escaped when preceded by an odd run of backslashes.
    let backslashes = 0;
    for (let j = quote - 1; j > start && buf[j] === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

function indexOfByte(buf: Uint8Array, byte: number, from: number, limit: number): number {
  const found = buf.indexOf(byte, from);
  return found < 0 || found >= limit ? -1 : found;
}

/**
 * Scans one JSON value that starts at `start` (which must not be whitespace) and ends before `limit`.
 * Objects/arrays end at their matching closer; strings at the closing quote; anything else at the
 * next delimiter (whitespace, comma, closer), which lets JSON.parse report the real problem.
 */
export function scanValue(buf: Uint8Array, start: number, limit: number): ScannedValue {
  const first = buf[start];
  if (first === QUOTE) {
    const end = endOfString(buf, start, limit);
    return end < 0 ? { start, end: limit, complete: false, depth: 0 } : { start, end, complete: true, depth: 0 };
  }
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    while (i < limit) {
      const c = buf[i];
      if (isJsonWhitespace(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET) break;
      i++;
    }
    return { start, end: Math.max(i, start + 1), complete: true, depth: 0 };
  }
  let depth = 0;
  let maxDepth = 0;
  for (let i = start; i < limit; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      const end = endOfString(buf, i, limit);
      if (end < 0) return { start, end: limit, complete: false, depth: maxDepth };
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return { start, end: i + 1, complete: true, depth: maxDepth };
    }
  }
  return { start, end: limit, complete: false, depth: maxDepth };
}

export interface ArraySplit {
  elements: ScannedValue[];
  /** Exclusive end of the array (after `]`), or the limit when it is broken. */
  end: number;
  /** Set when the array is malformed; `elementIndex` is the 0-based element where it went wrong. */
  error?: { elementIndex: number; message: string };
}

/** Splits the array whose `[` is at `start` into element byte ranges (stopping after `maxElements` + 1). */
export function splitArray(buf: Uint8Array, start: number, limit: number, maxElements = Number.POSITIVE_INFINITY): ArraySplit {
  const elements: ScannedValue[] = [];
  let i = skipWhitespace(buf, start + 1, limit);
  if (i < limit && buf[i] === CLOSE_BRACKET) return { elements, end: i + 1 };
  for (;;) {
    if (i >= limit) {
      return { elements, end: limit, error: { elementIndex: elements.length, message: "truncated JSON: the array is not closed by the end of input" } };
    }
    const c = buf[i];
    if (c === COMMA || c === CLOSE_BRACKET) {
      return { elements, end: limit, error: { elementIndex: elements.length, message: "empty array element (stray ',')" } };
    }
    const value = scanValue(buf, i, limit);
    if (!value.complete) {
      return { elements, end: limit, error: { elementIndex: elements.length, message: "truncated JSON: the element is not closed by the end of input" } };
    }
    elements.push(value);
    if (elements.length > maxElements) return { elements, end: limit };
    i = skipWhitespace(buf, value.end, limit);
    if (i < limit && buf[i] === CLOSE_BRACKET) return { elements, end: i + 1 };
    if (i < limit && buf[i] === COMMA) {
      i = skipWhitespace(buf, i + 1, limit);
      continue;
    }
    if (i >= limit) {
      return { elements, end: limit, error: { elementIndex: elements.length, message: "truncated JSON: the array is not closed by the end of input" } };
    }
    return { elements, end: limit, error: { elementIndex: elements.length, message: `expected ',' or ']' after the previous element, found ${describeByte(buf[i])}` } };
  }
}

export function describeByte(byte: number): string {
  if (byte >= 0x21 && byte <= 0x7e) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16).padStart(2, "0")}`;
}

/** Counts '\n' in [from, to): used to turn byte offsets into 1-based line numbers. */
export function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let count = 0;
  let i = from;
  for (;;) {
    const found = indexOfByte(buf, NEWLINE, i, to);
    if (found < 0) return count;
    count++;
    i = found + 1;
  }
}
