// The audit trail, newest first: who did what to which target, when, why and from where, with the
// action's details. Who, action and target are links that filter the trail by that value.
import Link from "next/link";
import { UtcTime } from "@/components/utc-time";
import { auditHref, type AuditEventRow, type AuditFilters } from "@/lib/audit/query";

function detailEntries(details: Record<string, unknown>): [string, string][] {
  return Object.entries(details)
    .filter(([k]) => k !== "userAgent")
    .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
}

export function AuditTable({ rows, filters, nowMs }: { rows: AuditEventRow[]; filters: AuditFilters; nowMs: number }) {
  if (rows.length === 0) {
    return (
      <div className="table-wrap">
        <p className="empty">No audit events match these filters.</p>
      </div>
    );
  }
  const pivot = (key: "actor" | "action" | "target", value: string) => (
    <Link className="pivot" href={auditHref("/audit", { ...filters, [key]: value })} title={`Only events with ${key} ${value}`}>
      {value}
    </Link>
  );
  return (
    <div className="table-wrap">
      <table className="data-table audit-table" aria-label="Audit events">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
            <th scope="col">From where</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const userAgent = typeof r.details.userAgent === "string" ? r.details.userAgent : null;
            const entries = detailEntries(r.details);
            return (
              <tr key={r.id}>
                <td className="nowrap mono">
                  <UtcTime iso={r.at.toISOString()} nowMs={nowMs} />
                </td>
                <td className="mono">{pivot("actor", r.actor)}</td>
                <td className="mono nowrap">{pivot("action", r.action)}</td>
                <td className="mono">{r.target ? pivot("target", r.target) : <span className="muted">—</span>}</td>
                <td>{r.reason ?? <span className="muted">—</span>}</td>
                <td>
                  {r.origin ?? <span className="muted">unknown</span>}
                  {userAgent ? (
                    <div className="muted small" title={userAgent}>
                      {userAgent.length > 60 ? `${userAgent.slice(0, 60)}…` : userAgent}
                    </div>
                  ) : null}
                </td>
                <td>
                  {entries.length ? (
                    <ul className="audit-details">
                      {entries.map(([k, v]) => (
                        <li key={k}>
                          <span className="muted">{k}:</span> {v}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
