// Every account: name, roles, how it signs in, who created it when, last sign-in, whether disabled,
// and the actions on it.
import { UtcTime } from "@/components/utc-time";
import { ROLE_LABELS } from "@/lib/auth/roles";
import type { UserInfo } from "@/lib/auth/users";
import { UserActions } from "./user-actions";

export function UsersTable({ users, selfId, nowMs }: { users: UserInfo[]; selfId: string; nowMs: number }) {
  if (users.length === 0) {
    return (
      <div className="table-wrap">
        <p className="empty">No users yet.</p>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data-table admin-table" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Roles</th>
            <th scope="col">Signs in with</th>
            <th scope="col">Created</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.disabledAt ? "row-disabled" : undefined}>
              <th scope="row">
                <span className="mono">{u.username}</span>
                {u.id === selfId ? <span className="muted"> (you)</span> : null}
                {u.displayName ? <div className="muted">{u.displayName}</div> : null}
              </th>
              <td>{u.roles.length ? u.roles.map((r) => ROLE_LABELS[r]).join(", ") : <span className="muted">no roles</span>}</td>
              <td>{u.local ? "Local password" : <span title={u.oidcIssuer ?? undefined}>OpenID Connect</span>}</td>
              <td>
                <UtcTime iso={u.createdAt.toISOString()} nowMs={nowMs} />
                {u.createdBy ? <div className="muted">by {u.createdBy}</div> : null}
              </td>
              <td>{u.lastSignInAt ? <UtcTime iso={u.lastSignInAt.toISOString()} nowMs={nowMs} /> : <span className="muted">never</span>}</td>
              <td>
                {u.disabledAt ? (
                  <>
                    <span className="status-badge status-off">Disabled</span>
                    <div className="muted">
                      since <UtcTime iso={u.disabledAt.toISOString()} nowMs={nowMs} />
                    </div>
                  </>
                ) : (
                  <span className="status-badge status-on">Active</span>
                )}
              </td>
              <td>
                <UserActions
                  id={u.id}
                  username={u.username}
                  displayName={u.displayName}
                  roles={u.roles}
                  local={u.local}
                  disabled={!!u.disabledAt}
                  isSelf={u.id === selfId}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
