// Links to records related by key: the Cerbos access entry of a decision (same callId and PDP), and
// other records stored under the same identity (a conflict: same key, different content).
import Link from "next/link";
import type { RecordDetail, RecordSummaryRef } from "@/lib/explorer/record-detail";
import { UtcTime } from "../utc-time";
import { Section } from "./section";

function RefList({ refs, nowMs }: { refs: RecordSummaryRef[]; nowMs: number }) {
  return (
    <ul>
      {refs.map((r) => (
        <li key={r.id}>
          <Link href={`/records/${r.id}`}>
            Record #{r.id} ({r.kind})
          </Link>{" "}
          <span className="muted">
            decided <UtcTime iso={r.decidedAt} nowMs={nowMs} />, ingested <UtcTime iso={r.ingestedAt} nowMs={nowMs} />, SHA-256{" "}
            <code>{r.rawSha256.slice(0, 16)}…</code>
          </span>
          {r.isConflict ? <span className="flag">conflict</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function LinkedAccessEntries({ detail, nowMs }: { detail: RecordDetail; nowMs: number }) {
  if (detail.engine !== "cerbos") return null;
  const title = detail.kind === "access" ? "Decision entries for this call" : "Cerbos access entry";
  return (
    <Section id="access" title={title}>
      {detail.linked.length ? (
        <RefList refs={detail.linked} nowMs={nowMs} />
      ) : (
        <p className="muted">
          No {detail.kind === "access" ? "decision" : "access"} entry with callId <code>{detail.recordKey}</code> from PDP{" "}
          <code>{detail.pdpInstance || "(unnamed)"}</code> has been ingested.
        </p>
      )}
    </Section>
  );
}

export function SameKeyRecords({ detail, nowMs }: { detail: RecordDetail; nowMs: number }) {
  if (!detail.isConflict && detail.sameKey.length === 0) return null;
  return (
    <Section id="conflict" title="Conflicting records" className="warning">
      <p>
        {detail.isConflict
          ? "This record has the same key as a record ingested earlier, but different content. Both are kept as received; this can mean a PDP re-sent an altered entry, or tampering."
          : "Records ingested later have this record's key but different content (flagged as conflicts)."}
      </p>
      <RefList refs={detail.sameKey} nowMs={nowMs} />
    </Section>
  );
}
