// W3C Trace Context (`traceparent`) and Baggage parsing. Malformed values are ignored rather than
// half-used: a wrong trace id would join unrelated hops with 0.9 confidence.

export interface Traceparent {
  traceId: string;
  /** The caller's span: the span in which this request was made. */
  parentId: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/;

export function parseTraceparent(value: string | null): Traceparent | null {
  if (!value) return null;
  const m = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m || m[1] === "ff") return null;
  if (/^0+$/.test(m[2]) || /^0+$/.test(m[3])) return null;
  return { traceId: m[2], parentId: m[3] };
}

/** A bare trace/span id as OPA logs it (hex); all-zero ids mean "none". */
export function normalizeHexId(value: string | null, length: 16 | 32): string | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(v) || /^0+$/.test(v)) return null;
  return v.length === length ? v : v.length < length ? v.padStart(length, "0") : null;
}

/** `k1=v1,k2=v2;prop` → {k1: v1, k2: v2}, values percent-decoded. */
export function parseBaggage(value: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const member of value.split(",")) {
    const [pair] = member.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (!key) continue;
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/** Baggage keys that carry a task id by convention (reference §1.6, §1.11). */
export const BAGGAGE_TASK_KEYS = ["task.id", "task_id", "gen_ai.conversation.id"];
