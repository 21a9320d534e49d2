"use client";
// Creates a local account with an initial password the admin hands over (the user changes it on their
// account page). OpenID Connect users need no account here: they are created at their first sign-in.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { RoleCheckboxes } from "./role-checkboxes";
import { sendJson } from "@/lib/client/send-json";

export function CreateUserForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    if (form.get("password") !== form.get("confirm")) {
      setError("the two passwords differ");
      return;
    }
    setBusy(true);
    setError(null);
    setCreated(null);
    const result = await sendJson<{ user: { username: string } }>("POST", "/api/admin/users", {
      username: String(form.get("username") ?? "").trim(),
      displayName: String(form.get("displayName") ?? "").trim() || null,
      roles: form.getAll("roles"),
      password: form.get("password"),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    formEl.reset();
    setCreated(result.data.user.username);
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} aria-label="Create a local user" className="panel admin-form">
      <h2>Create a local user</h2>
      <div className="filters-row">
        <label className="field">
          <span>User name</span>
          <input name="username" autoComplete="off" required maxLength={100} pattern="[\w.@+\-]+" title="letters, digits and . _ @ + -" />
        </label>
        <label className="field">
          <span>Display name (optional)</span>
          <input name="displayName" autoComplete="off" maxLength={200} />
        </label>
        <label className="field">
          <span>Initial password (at least {MIN_PASSWORD_LENGTH} characters)</span>
          <input name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
        </label>
        <label className="field">
          <span>Initial password again</span>
          <input name="confirm" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
        </label>
      </div>
      <RoleCheckboxes selected={["investigator"]} />
      <div className="filters-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create user"}
        </button>
        <span role="status" aria-live="polite">
          {created ? `Created ${created}. Hand over the initial password; they can change it on their account page.` : ""}
        </span>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </form>
  );
}
