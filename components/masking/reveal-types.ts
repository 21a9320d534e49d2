// What the browser sends to /api/reveal to name one masked value (lib/masking/reveal.ts documents the sources).
export interface RevealTarget {
  recordId: string;
  source: "entry" | "raw" | "jwt" | "hop";
  /** JSON pointer into the source document. */
  path: string;
  hopId?: string;
  tokenPath?: string;
}

/** Same rule as the server (lib/masking/reveal.ts MIN_REVEAL_REASON), checked here to answer at once. */
export const MIN_REASON_LENGTH = 10;

/** How a revealed value is shown in place: strings as they are in a table cell, JSON in a JSON view. */
export function revealedText(value: unknown, asJson: boolean): string {
  if (!asJson && typeof value === "string") return value;
  return JSON.stringify(value) ?? "undefined";
}
