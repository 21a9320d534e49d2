// The signed-in user's own account: who they are here, their roles and what those allow, how they sign
// in, their active sessions, and (for local accounts) changing their password.
import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SessionsTable } from "@/components/account/sessions-table";
import { UtcTime } from "@/components/utc-time";
import { listActiveSessions } from "@/lib/auth/account";
import { requireUser } from "@/lib/auth/current";
import { PERMISSIONS, permissionsOf, ROLE_LABELS, isRole } from "@/lib/auth/roles";
import { getUser } from "@/lib/auth/users";
import { getPool } from "@/lib/db/pool";
import "../admin/admin.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const me = await requireUser();
  const pool = getPool();
  const [user, sessions] = await Promise.all([getUser(pool, me.userId), listActiveSessions(pool, me.userId, me.sessionId)]);
  const nowMs = Date.now();
  const roles = me.roles.filter(isRole);
  const permissions = [...permissionsOf(roles)];
  const local = user?.local ?? me.method === "password";
  return (
    <section>
      <h1>Your account</h1>
      <div className="panel">
        <dl className="facts">
          <dt>User name</dt>
          <dd className="mono">{me.username}</dd>
          <dt>Display name</dt>
          <dd>{user?.displayName ?? <span className="muted">none</span>}</dd>
          <dt>Roles</dt>
          <dd>{roles.length ? roles.map((r) => ROLE_LABELS[r]).join(", ") : <span className="muted">none yet: ask an admin for a role</span>}</dd>
          <dt>You may</dt>
          <dd>
            {permissions.length ? (
              <ul className="audit-details">
                {permissions.map((p) => (
                  <li key={p}>{PERMISSIONS[p]}</li>
                ))}
              </ul>
            ) : (
              <span className="muted">nothing yet</span>
            )}
          </dd>
          <dt>Signs in with</dt>
          <dd>
            {local ? "a local password" : `OpenID Connect${user?.oidcIssuer ? ` (${user.oidcIssuer})` : ""}`}
            {me.method === "oidc" && local ? <span className="muted"> (this session: OpenID Connect)</span> : null}
          </dd>
          {user ? (
            <>
              <dt>Account created</dt>
              <dd>
                <UtcTime iso={user.createdAt.toISOString()} nowMs={nowMs} />
                {user.createdBy ? <span className="muted"> by {user.createdBy}</span> : null}
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <h2>Active sessions</h2>
      <SessionsTable sessions={sessions} nowMs={nowMs} />
      <h2>Password</h2>
      {local ? (
        <ChangePasswordForm />
      ) : (
        <p className="panel">
          You sign in through OpenID Connect{user?.oidcIssuer ? <> at <code>{user.oidcIssuer}</code></> : null}, so Hindsight keeps no
          password for you. Change your password with your identity provider.
        </p>
      )}
    </section>
  );
}
