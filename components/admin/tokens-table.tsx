// Every ingest token, active and revoked: what it may push, for which PDP, who made it, when it was last
// used. Secrets are never shown here (only their first characters, to tell tokens apart).
import { UtcTime } from "@/components/utc-time";
import type { TokenInfo } from "@/lib/ingest/tokens";
import { RevokeTokenButton } from "./revoke-token-button";

const ENDPOINT_LABELS = { opa: "OPA", cerbos: "Cerbos" } as const;

export function TokensTable({ tokens, nowMs }: { tokens: TokenInfo[]; nowMs: number }) {
  if (tokens.length === 0) {
    return (
      <div className="table-wrap">
        <p className="empty">
          No ingest tokens yet. Create one above, or with <code>hindsight tokens create --name &lt;pdp&gt;</code>.
        </p>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data-table admin-table" aria-label="Ingest tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Endpoints</th>
            <th scope="col">PDP instance</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className={t.revokedAt ? "row-disabled" : undefined}>
              <th scope="row" className="mono">
                {t.name}
              </th>
              <td className="mono">{t.prefix}…</td>
              <td>{t.endpoints.map((e) => ENDPOINT_LABELS[e]).join(", ") || <span className="muted">none</span>}</td>
              <td className="mono">{t.pdp}</td>
              <td>
                <UtcTime iso={t.createdAt.toISOString()} nowMs={nowMs} />
                {t.createdBy ? <div className="muted">by {t.createdBy}</div> : null}
              </td>
              <td>{t.lastUsedAt ? <UtcTime iso={t.lastUsedAt.toISOString()} nowMs={nowMs} /> : <span className="muted">never</span>}</td>
              <td>
                {t.revokedAt ? (
                  <>
                    <span className="status-badge status-off">Revoked</span>
                    <div className="muted">
                      <UtcTime iso={t.revokedAt.toISOString()} nowMs={nowMs} />
                    </div>
                  </>
                ) : (
                  <span className="status-badge status-on">Active</span>
                )}
              </td>
              <td>{t.revokedAt ? null : <RevokeTokenButton id={t.id} name={t.name} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
