// Decision detail: one stored record with everything around it. `?hop=<id>` (from an explorer row)
// highlights that hop's input and action.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EffectBadge } from "@/components/effect-badge";
import { CerbosEntry, type HopHighlight } from "@/components/record/cerbos-entry";
import { HopsTable } from "@/components/record/hops-table";
import { OpaEvent } from "@/components/record/opa-event";
import { RawRecord } from "@/components/record/raw-record";
import { LinkedAccessEntries, SameKeyRecords } from "@/components/record/related-records";
import { Facts, Section } from "@/components/record/section";
import { ReplaySection } from "@/components/replay/replay-section";
import { UtcTime } from "@/components/utc-time";
import { readCerbosEntry } from "@/lib/explorer/cerbos-view";
import { formatBytes } from "@/lib/explorer/format";
import { readOpaEvent } from "@/lib/explorer/opa-view";
import { getRecordDetail } from "@/lib/explorer/record-detail";
import { auditView, currentUser, userCan } from "@/lib/auth/current";
import { getPool } from "@/lib/db/pool";
import { MaskMarker } from "@/components/masking/mask-marker";
import { factValue } from "@/components/masking/record-json";
import { maskMarker, pointerIndex } from "@/lib/masking/mask";
import { maskRecordView } from "@/lib/masking/record-view";
import { getSensitiveRules } from "@/lib/masking/settings";
import { maskBatchOrigin } from "@/lib/masking/value-markers";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Record #${id}` };
}

export default async function RecordPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { hop, replay, compare } = await searchParams;
  const detail = await getRecordDetail(id);
  if (!detail) notFound();
  await auditView("record.view", id);
  // Sensitive fields leave the server masked; the page offers a Reveal (with a reason) per value.
  const [{ ruleSet }, user] = await Promise.all([getSensitiveRules(getPool()), currentUser()]);
  const view = maskRecordView(detail, ruleSet);
  const canReveal = userCan(user, "sensitive.reveal");
  const index = pointerIndex(view.entry);
  const masking = { recordId: detail.id, source: "entry" as const, masked: view.entryMasked, pointerOf: (v: unknown) => (v && typeof v === "object" ? index.get(v) : undefined), canReveal };
  // The record key is shown from the row; a rule may mask it in the entry ($.callId / $.decision_id).
  const keyPointer = detail.engine === "opa" ? "/decision_id" : "/callId";
  const keyMask = view.entryMasked.find((m) => m.pointer === keyPointer);
  const recordKey = keyMask ? factValue(maskMarker(keyMask.label), keyPointer, masking, "the record key") : detail.recordKey;
  // The batch origin (an HTTP push's client address) is not in the record: matched as batch.origin, no Reveal.
  const originMarker = maskBatchOrigin(detail.batch.origin, ruleSet);
  const nowMs = Date.now();
  const hopId = typeof hop === "string" ? hop : undefined;
  const selected = detail.hops.find((h) => h.id === hopId);
  const highlight: HopHighlight | undefined = selected ? { inputIndex: selected.inputIndex, action: selected.action } : undefined;

  return (
    <article>
      <p>
        <Link href="/decisions">← Decisions</Link>
      </p>
      <div className="detail-header">
        <h1>
          {detail.engine === "opa" ? "OPA decision" : detail.kind === "access" ? "Cerbos access entry" : "Cerbos decision"} · record #{detail.id}
        </h1>
        {detail.isConflict ? <span className="flag">conflict</span> : null}
        {detail.isDemo ? <span className="flag">demo data</span> : null}
      </div>
      {selected ? (
        <p className="panel highlight" role="note">
          Opened from the explorer row: input {selected.inputIndex + 1}, action <strong>{selected.action}</strong> →{" "}
          <EffectBadge effect={selected.effect} />{" "}
          {detail.engine === "cerbos" ? <a href={`#input-${selected.inputIndex}`}>jump to input</a> : null}
        </p>
      ) : null}

      <Section id="record" title="Record">
        <Facts
          items={[
            ["engine", detail.engine],
            ["kind", detail.kind],
            ["wire format", <code key="f">{detail.format}</code>],
            ["PDP instance", detail.pdpInstance || <span className="muted">(unnamed)</span>],
            [detail.engine === "opa" ? "decision_id" : "callId", <code key="k">{recordKey}</code>],
            ["decided at", <UtcTime key="d" iso={detail.decidedAt} nowMs={nowMs} precision="us" />],
            ["ingested at", <UtcTime key="i" iso={detail.ingestedAt} nowMs={nowMs} precision="us" />],
            [
              "ingest batch",
              <span key="b">
                #{detail.batch.id} via <code>{detail.batch.channel}</code>
                {detail.batch.origin ? (
                  <>
                    {" "}
                    from {originMarker ? <MaskMarker marker={originMarker} /> : <code>{detail.batch.origin}</code>}
                  </>
                ) : null}
                , received <UtcTime iso={detail.batch.receivedAt} nowMs={nowMs} />
              </span>,
            ],
            ["SHA-256 (raw bytes)", <code key="s">{detail.rawSha256}</code>],
            ["SHA-256 (canonical content)", <code key="c">{detail.contentSha256}</code>],
            ["size", formatBytes(detail.rawSize)],
          ]}
        />
      </Section>

      <ReplaySection recordId={detail.id} engine={detail.engine} kind={detail.kind} open={replay === "1"} compare={typeof compare === "string" ? compare : undefined} />

      <SameKeyRecords detail={detail} nowMs={nowMs} />
      <HopsTable hops={view.hops} selectedHopId={selected?.id} masking={{ recordId: detail.id, cells: view.hopCells, canReveal }} />
      <LinkedAccessEntries detail={detail} nowMs={nowMs} />

      {detail.engine === "cerbos" ? (
        <CerbosEntry view={readCerbosEntry(view.entry, detail.kind)} highlight={highlight} masking={masking} entry={view.entry} />
      ) : (
        <OpaEvent view={readOpaEvent(view.entry)} masking={masking} jwtClaims={view.jwtClaims} />
      )}

      <RawRecord detail={detail} raw={view.raw} canReveal={canReveal} />
    </article>
  );
}
