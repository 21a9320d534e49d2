// Flip counts by one dimension (action, resource kind, principal, agent, policy); a value filters the
// drill-down below, and the current filter is marked. A value the masking rules cover arrives as its
// marker and filters nothing (the drill-down URL would carry the value).
import Link from "next/link";
import { MaskMarker } from "@/components/masking/mask-marker";
import { formatNumber } from "@/lib/explorer/format";
import type { Masked } from "@/lib/masking/aggregate-views";
import type { FlipCount } from "@/lib/replay/impact-report";
import { type Dimension, DIMENSION_LABELS, type Direction, drillHref } from "./flip-query";

export function FlipsByTable({ runId, dim, counts, current, direction }: { runId: string; dim: Dimension; counts: Masked<FlipCount>[]; current?: { dim?: Dimension; value?: string }; direction?: Direction }) {
  const title = `Flips by ${DIMENSION_LABELS[dim].toLowerCase()}`;
  return (
    <div className="flips-by">
      <h3>{DIMENSION_LABELS[dim]}</h3>
      {counts.length === 0 ? (
        <p className="muted">No flips.</p>
      ) : (
        <table className="data-table" aria-label={title}>
          <thead>
            <tr>
              <th scope="col">{DIMENSION_LABELS[dim]}</th>
              <th scope="col">allow → deny</th>
              <th scope="col">deny → allow</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => {
              const selected = current?.dim === dim && current.value === c.value;
              return (
                <tr key={c.value} aria-current={selected ? "true" : undefined} className={selected ? "highlight" : undefined}>
                  <td className="cell-clip" title={c.value}>
                    {c.masked ? <MaskMarker marker={c.value} /> : <Link href={drillHref(runId, { dim, value: c.value, direction })}>{c.value}</Link>}
                  </td>
                  <td>{formatNumber(c.allowToDeny)}</td>
                  <td>{formatNumber(c.denyToAllow)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
