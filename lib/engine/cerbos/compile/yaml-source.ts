// Parses YAML/JSON policy sources into plain values while remembering where each value came
// from, so compile errors can name the file, line and column.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";

export interface SourcePosition {
  line: number;
  column: number;
}

export interface SourceDocument {
  file: string;
  /** 0-based index of the document inside a multi-document file. */
  index: number;
  value: unknown;
  /** Position of every map value / list item by path, e.g. `resourcePolicy.rules[0].condition`; `<path>#key` for keys. */
  positions: Map<string, SourcePosition>;
  /** Position of the document itself. */
  position: SourcePosition;
}

export interface SourceParseError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

function collectPositions(node: unknown, path: string, lc: LineCounter, out: Map<string, SourcePosition>): void {
  if (!node || isAlias(node as Node)) return;
  const n = node as Node;
  if (n.range) {
    const pos = lc.linePos(n.range[0]);
    out.set(path, { line: pos.line, column: pos.col });
  }
  if (isMap(n)) {
    for (const pair of n.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPath = path ? `${path}.${key}` : key;
      if (isScalar(pair.key) && pair.key.range) {
        const kp = lc.linePos(pair.key.range[0]);
        out.set(childPath, { line: kp.line, column: kp.col });
        out.set(`${childPath}#key`, { line: kp.line, column: kp.col });
      }
      // Errors point at the value, as Cerbos's do (the key position is the fallback).
      if (isScalar(pair.value) && pair.value.range) {
        const vp = lc.linePos(pair.value.range[0]);
        out.set(childPath, { line: vp.line, column: vp.col });
      } else if (isMap(pair.value) || isSeq(pair.value)) collectPositions(pair.value, childPath, lc, out);
    }
  } else if (isSeq(n)) {
    n.items.forEach((item, i) => collectPositions(item, `${path}[${i}]`, lc, out));
  }
}

/** Parses every document in a YAML or JSON file. */
export function parseSourceFile(file: string, text: string): { docs: SourceDocument[]; errors: SourceParseError[] } {
  const lc = new LineCounter();
  const docs: SourceDocument[] = [];
  const errors: SourceParseError[] = [];
  const parsed = parseAllDocuments(text, { lineCounter: lc, merge: true, uniqueKeys: false });
  const list = Array.isArray(parsed) ? parsed : [];
  let index = 0;
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lc.linePos(e.pos[0]);
        errors.push({ file, line: pos.line, column: pos.col, message: e.message.split("\n")[0]! });
      }
      continue;
    }
    if (doc.contents === null) continue;
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value === null || value === undefined) continue;
    const positions = new Map<string, SourcePosition>();
    collectPositions(doc.contents, "", lc, positions);
    const start = doc.contents.range ? lc.linePos(doc.contents.range[0]) : { line: 1, col: 1 };
    docs.push({ file, index: index++, value, positions, position: { line: start.line, column: start.col } });
  }
  return { docs, errors };
}

/** Best position for a path: the path itself or its nearest ancestor. */
export function positionOf(doc: SourceDocument, path: string): SourcePosition {
  let p = path;
  for (;;) {
    const pos = doc.positions.get(p);
    if (pos) return pos;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return doc.position;
    p = p.slice(0, cut);
  }
}
