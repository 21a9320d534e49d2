// Explanation events: which rules were evaluated and which body expressions held.
export type TraceEvent =
  | { kind: "expr"; line: number; negated: boolean; result: boolean }
  | { kind: "rule"; path: string; file: string; line: number; defined: boolean };
