// A Cerbos audit entry (envelope already removed) → record fields, validated with zod.

import { accessEntrySchema, decisionEntrySchema } from "./cerbos-schema.ts";
import { cerbosDecisionHops } from "./cerbos-hops.ts";
import { parseRfc3339 } from "./timestamp.ts";
import type { RecordDraft } from "./record-draft.ts";
import type { HopFields, JsonObject, RecordKind, SourceFormat } from "./types.ts";
import { describeZodError, formatPath } from "./zod-issues.ts";

/**
 * `fieldPrefix` is where the entry sits inside the item as received ("result.decisionLogEntry" for
 * Admin API lines), so reasons name the field as it appears in the line.
 */
export function buildCerbosRecord(entry: JsonObject, kind: RecordKind, format: SourceFormat, fieldPrefix = ""): RecordDraft | string {
  let callId: string;
  let timestamp: string;
  let hops: HopFields[] = [];
  if (kind === "decision") {
    const parsed = decisionEntrySchema.safeParse(entry);
    if (!parsed.success) return describeZodError(parsed.error, entry, fieldPrefix);
    ({ callId, timestamp } = parsed.data);
    hops = cerbosDecisionHops(parsed.data);
  } else {
    const parsed = accessEntrySchema.safeParse(entry);
    if (!parsed.success) return describeZodError(parsed.error, entry, fieldPrefix);
    ({ callId, timestamp } = parsed.data);
  }
  const decidedAt = parseRfc3339(timestamp);
  if (typeof decidedAt === "string") return `${formatPath(["timestamp"], fieldPrefix)}: ${decidedAt}`;
  return { engine: "cerbos", kind, format, recordKey: callId || null, pdpInstance: null, decidedAt, entry, hops };
}
