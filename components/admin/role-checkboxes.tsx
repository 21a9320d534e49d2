// The four roles as checkboxes (name "roles"), for creating a user and changing one's roles.
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";

export function RoleCheckboxes({ selected = [], locked = [], legend = "Roles" }: { selected?: readonly string[]; locked?: readonly Role[]; legend?: string }) {
  return (
    <fieldset className="role-choices role-choices-inline">
      <legend>{legend}</legend>
      {ROLES.map((role) => (
        <label key={role} title={locked.includes(role) ? "You cannot remove your own admin role; another admin must do it." : undefined}>
          <input type="checkbox" name="roles" value={role} defaultChecked={selected.includes(role)} disabled={locked.includes(role)} /> {ROLE_LABELS[role]}
          {/* A disabled checkbox is not submitted; keep a locked role in the form. */}
          {locked.includes(role) && selected.includes(role) ? <input type="hidden" name="roles" value={role} /> : null}
        </label>
      ))}
    </fieldset>
  );
}
