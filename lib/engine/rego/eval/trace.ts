// Explanation events, in evaluation order: which rules were evaluated (and whether they produced
// a value) and which body expressions held or failed.
export type TraceEvent =
  | { kind: "expr"; file: string; line: number; text?: string; negated: boolean; result: boolean }
  | { kind: "rule"; path: string; file: string; line: number; defined: boolean };
