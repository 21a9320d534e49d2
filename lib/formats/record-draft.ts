import type { ParsedRecord } from "./types.ts";

/** What an engine-specific builder produces; the item layer adds raw bytes and warnings. */
export type RecordDraft = Omit<ParsedRecord, "raw">;
