// What each role may do, read from the permission table itself so the page cannot drift from it.
import { PERMISSIONS, ROLE_LABELS, ROLE_PERMISSIONS, ROLES } from "@/lib/auth/roles";

export function RoleLegend() {
  return (
    <details className="role-legend">
      <summary>What each role may do</summary>
      <dl className="facts">
        {ROLES.map((role) => (
          <div key={role} className="contents">
            <dt>{ROLE_LABELS[role]}</dt>
            <dd>{ROLE_PERMISSIONS[role].map((p) => PERMISSIONS[p]).join("; ")}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
