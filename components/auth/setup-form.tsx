"use client";
// First-run set-up of the admin account. The admin role manages users and tokens only; for one-person
// use the data roles can be added here too (they are checked by default).
import { useState, type FormEvent } from "react";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { sendJson } from "@/lib/client/send-json";

const DATA_ROLES = [
  { role: "investigator", label: "Investigator — search, timelines, replay" },
  { role: "auditor", label: "Auditor — read and export evidence, audit trail" },
  { role: "policy_owner", label: "Policy owner — trends, policy versions, impact analysis" },
];

export function SetupForm({ code }: { code?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (form.get("password") !== form.get("confirm")) {
      setError("the two passwords differ");
      return;
    }
    setBusy(true);
    setError(null);
    const result = await sendJson("POST", "/api/auth/setup", {
      code: form.get("code"),
      username: form.get("username"),
      displayName: form.get("displayName") || undefined,
      password: form.get("password"),
      roles: form.getAll("roles"),
    });
    if (result.ok) {
      window.location.assign("/");
      return;
    }
    setError(result.error);
    setBusy(false);
  }
  return (
    <form onSubmit={onSubmit} aria-label="Create the admin account">
      <label className="field">
        <span>Set-up code (printed on the server console)</span>
        <input name="code" defaultValue={code} required autoComplete="off" />
      </label>
      <label className="field">
        <span>User name</span>
        <input name="username" autoComplete="username" required pattern="[\w.@+\-]+" />
      </label>
      <label className="field">
        <span>Display name (optional)</span>
        <input name="displayName" autoComplete="name" />
      </label>
      <label className="field">
        <span>Password (at least {MIN_PASSWORD_LENGTH} characters)</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
      </label>
      <label className="field">
        <span>Password again</span>
        <input name="confirm" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
      </label>
      <fieldset className="role-choices">
        <legend>Also give this account the data roles</legend>
        {DATA_ROLES.map((r) => (
          <label key={r.role}>
            <input type="checkbox" name="roles" value={r.role} defaultChecked /> {r.label}
          </label>
        ))}
      </fieldset>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Creating…" : "Create admin account"}
      </button>
    </form>
  );
}
