// An OPA decision event (console envelope already removed) → record fields, validated with zod.

import type { RecordDraft } from "./record-draft.ts";
import { opaHop } from "./opa-hops.ts";
import { opaEventSchema } from "./opa-schema.ts";
import { parseRfc3339 } from "./timestamp.ts";
import type { JsonObject, SourceFormat } from "./types.ts";
import { describeZodError } from "./zod-issues.ts";

export function buildOpaRecord(entry: JsonObject, format: SourceFormat): RecordDraft | string {
  const parsed = opaEventSchema.safeParse(entry);
  if (!parsed.success) return describeZodError(parsed.error, entry);
  const event = parsed.data;
  if (event.path === undefined && event.query === undefined) {
    return "OPA decision event has neither path (Data API) nor query (Query API)";
  }
  const decidedAt = parseRfc3339(event.timestamp);
  if (typeof decidedAt === "string") return `timestamp: ${decidedAt}`;
  return {
    engine: "opa",
    kind: "decision",
    format,
    recordKey: event.decision_id || null,
    pdpInstance: event.labels?.id || null,
    decidedAt,
    entry,
    hops: [opaHop(event)],
  };
}
