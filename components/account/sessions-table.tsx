// The signed-in user's active sessions (where and when they signed in), so they notice one that is not
// theirs. Changing the password ends all but the current one.
import { UtcTime } from "@/components/utc-time";
import type { SessionView } from "@/lib/auth/account";

const METHOD_LABELS: Record<string, string> = { password: "Password", oidc: "OpenID Connect" };

export function SessionsTable({ sessions, nowMs }: { sessions: SessionView[]; nowMs: number }) {
  return (
    <div className="table-wrap">
      <table className="data-table admin-table" aria-label="Active sessions">
        <thead>
          <tr>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col">Ends at the latest</th>
            <th scope="col">Method</th>
            <th scope="col">From</th>
            <th scope="col">Browser</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td className="nowrap">
                <UtcTime iso={s.createdAt.toISOString()} nowMs={nowMs} />
                {s.current ? <div className="status-badge status-on">this session</div> : null}
              </td>
              <td className="nowrap">
                <UtcTime iso={s.lastSeenAt.toISOString()} nowMs={nowMs} />
              </td>
              <td className="nowrap">
                <UtcTime iso={s.expiresAt.toISOString()} nowMs={nowMs} />
              </td>
              <td>{METHOD_LABELS[s.method] ?? s.method}</td>
              <td className="mono">{s.origin ?? <span className="muted">unknown</span>}</td>
              <td className="small" title={s.userAgent ?? undefined}>
                {s.userAgent ? (s.userAgent.length > 80 ? `${s.userAgent.slice(0, 80)}…` : s.userAgent) : <span className="muted">unknown</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
