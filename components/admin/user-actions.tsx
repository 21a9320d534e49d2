"use client";
// Per-user actions in the users table: edit display name and roles, reset a local password, disable or
// enable. The server refuses an admin removing their own admin role or disabling themselves; the form
// shows those choices locked so nobody has to learn it from an error.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import type { Role } from "@/lib/auth/roles";
import { RoleCheckboxes } from "./role-checkboxes";
import { sendJson } from "@/lib/client/send-json";

export interface UserActionsProps {
  id: string;
  username: string;
  displayName: string | null;
  roles: Role[];
  local: boolean;
  disabled: boolean;
  isSelf: boolean;
}

export function UserActions({ id, username, displayName, roles, local, disabled, isSelf }: UserActionsProps) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function change(body: Record<string, unknown>, message: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setDone(null);
    const result = await sendJson("PATCH", `/api/admin/users/${id}`, body);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return false;
    }
    setDone(message);
    router.refresh();
    return true;
  }

  async function onEdit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const details = e.currentTarget.closest("details");
    const ok = await change({ displayName: String(form.get("displayName") ?? "").trim() || null, roles: form.getAll("roles") }, `Saved ${username}.`);
    if (ok && details) details.open = false;
  }

  async function onReset(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    if (form.get("password") !== form.get("confirm")) {
      setError("the two passwords differ");
      return;
    }
    const ok = await change({ password: form.get("password") }, `New password set for ${username}; their sessions were ended.`);
    if (ok) {
      formEl.reset();
      const details = formEl.closest("details");
      if (details) details.open = false;
    }
  }

  async function toggleDisabled() {
    if (!disabled && !window.confirm(`Disable ${username}? They are signed out at once and cannot sign in until enabled again.`)) return;
    await change({ disabled: !disabled }, disabled ? `Enabled ${username}.` : `Disabled ${username}.`);
  }

  return (
    <div className="row-actions">
      <details>
        <summary>Edit</summary>
        <form onSubmit={onEdit} aria-label={`Edit ${username}`} className="row-form">
          <label className="field">
            <span>Display name</span>
            <input name="displayName" defaultValue={displayName ?? ""} maxLength={200} autoComplete="off" />
          </label>
          <RoleCheckboxes selected={roles} locked={isSelf && roles.includes("admin") ? ["admin"] : []} />
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </form>
      </details>
      {local ? (
        <details>
          <summary>Reset password</summary>
          <form onSubmit={onReset} aria-label={`Reset the password of ${username}`} className="row-form">
            <label className="field">
              <span>New password (at least {MIN_PASSWORD_LENGTH} characters)</span>
              <input name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
            </label>
            <label className="field">
              <span>New password again</span>
              <input name="confirm" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              Set password
            </button>
          </form>
        </details>
      ) : null}
      <button
        type="button"
        onClick={toggleDisabled}
        disabled={busy || (isSelf && !disabled)}
        title={isSelf && !disabled ? "You cannot disable your own account" : undefined}
      >
        {disabled ? "Enable" : "Disable"}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {done ?? ""}
      </span>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </div>
  );
}
