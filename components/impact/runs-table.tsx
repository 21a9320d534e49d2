// Past impact runs, newest first.
import Link from "next/link";
import { UtcTime } from "@/components/utc-time";
import { formatNumber } from "@/lib/explorer/format";
import type { ImpactRunView } from "@/lib/replay/impact-report";
import { RunStatusBadge } from "./run-status";

export function filtersSummary(filters: Record<string, string | undefined>): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(", ") : "all decisions";
}

export function RunsTable({ runs, labels, nowMs }: { runs: ImpactRunView[]; labels: Map<string, string>; nowMs: number }) {
  if (runs.length === 0) {
    return (
      <div className="table-wrap">
        <p className="empty">No impact analyses yet.</p>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data-table" aria-label="Impact runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Candidate</th>
            <th scope="col">Status</th>
            <th scope="col">Window and filters</th>
            <th scope="col">Decisions</th>
            <th scope="col">allow → deny</th>
            <th scope="col">deny → allow</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/impact/${r.id}`}>Run #{r.id}</Link>
              </td>
              <td>
                <Link href={`/policies/${r.candidateId}`}>
                  <code>{labels.get(r.candidateId) ?? `#${r.candidateId}`}</code>
                </Link>
              </td>
              <td>
                <RunStatusBadge status={r.status} />
              </td>
              <td className="cell-clip" title={filtersSummary(r.filters)}>
                {filtersSummary(r.filters)}
              </td>
              <td>{formatNumber(r.decisions)}</td>
              <td>{formatNumber(r.allowToDeny)}</td>
              <td>{formatNumber(r.denyToAllow)}</td>
              <td className="nowrap">
                <UtcTime iso={r.startedAt ?? r.createdAt} nowMs={nowMs} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
