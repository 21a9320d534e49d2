"use client";
// The hops in the visible time window as rows (keyboard-reachable counterpart of the marks). Each row
// links to its deep link (?hop=), which the timeline intercepts to open the panel without a reload.
import { memo } from "react";
import { EffectBadge } from "@/components/effect-badge";
import { formatUtc } from "@/lib/explorer/format";
import type { TimelineHop } from "@/lib/views/swimlanes";
import { FlagBadge } from "./flag-badges";

export const MAX_LISTED_HOPS = 300;

interface Props {
  hops: TimelineHop[];
  lanes: string[];
  selected: string | null;
  onSelect: (hopId: string) => void;
  hrefFor: (hopId: string) => string;
}

export const HopList = memo(function HopList({ hops, lanes, selected, onSelect, hrefFor }: Props) {
  const shown = hops.slice(0, MAX_LISTED_HOPS);
  return (
    <div className="table-wrap hop-list">
      <table className="data-table" data-testid="hop-list">
        <caption className="visually-hidden">Hops in the visible time window</caption>
        <thead>
          <tr>
            <th scope="col">Decided at (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Effect</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((h) => (
            <tr key={h.hopId} id={`hop-row-${h.hopId}`} aria-current={h.hopId === selected ? "true" : undefined} className={h.hopId === selected ? "highlight" : undefined}>
              <td data-column="time">
                <a
                  href={hrefFor(h.hopId)}
                  className="row-link"
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey) return;
                    e.preventDefault();
                    onSelect(h.hopId);
                  }}
                >
                  {formatUtc(h.decidedAt)}
                </a>
              </td>
              <td data-column="actor" title={lanes[h.lane]}>
                {lanes[h.lane]}
              </td>
              <td data-column="action">{h.action}</td>
              <td data-column="resource" title={h.resource}>
                {h.resource}
              </td>
              <td data-column="effect">
                <EffectBadge effect={h.effect} />
              </td>
              <td data-column="flags">
                {h.flags.length ? h.flags.map((f, i) => <FlagBadge key={`${f.code}-${i}`} code={f.code} reason={f.reason} />) : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hops.length > shown.length ? (
        <p className="muted hop-list-more">
          Showing the first {shown.length} of {hops.length} hops in this window: brush a narrower window to list the rest.
        </p>
      ) : null}
      {hops.length === 0 ? <p className="empty">No hops in this time window.</p> : null}
    </div>
  );
});
