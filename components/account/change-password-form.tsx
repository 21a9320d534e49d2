"use client";
// Changes the signed-in user's own password. The server checks the current one and signs out every
// other session of the account (this one stays signed in).
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { sendJson } from "@/lib/client/send-json";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";

export function ChangePasswordForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setDone(null);
    if (form.get("newPassword") !== form.get("confirm")) {
      setError("the two new passwords differ");
      return;
    }
    setBusy(true);
    setError(null);
    const result = await sendJson<{ otherSessionsEnded: number }>("POST", "/api/account/password", {
      currentPassword: form.get("currentPassword"),
      newPassword: form.get("newPassword"),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    formEl.reset();
    const n = result.data.otherSessionsEnded;
    setDone(`Password changed.${n ? ` ${n} other session${n === 1 ? " was" : "s were"} signed out.` : ""}`);
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} aria-label="Change your password" className="panel admin-form account-form">
      <label className="field">
        <span>Current password</span>
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label className="field">
        <span>New password (at least {MIN_PASSWORD_LENGTH} characters)</span>
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
      </label>
      <label className="field">
        <span>New password again</span>
        <input name="confirm" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
      </label>
      <div className="filters-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
        <span role="status" aria-live="polite">
          {done ?? ""}
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
