"use client";
// Local-account sign-in. On success goes to `next` (a same-site path only) or home.
import { useState, type FormEvent } from "react";
import { safeNext } from "@/lib/auth/safe-next";
import { sendJson } from "@/lib/client/send-json";

export function LoginForm({ next }: { next?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const result = await sendJson("POST", "/api/auth/login", { username: form.get("username"), password: form.get("password") });
    if (result.ok) {
      window.location.assign(safeNext(next));
      return;
    }
    setError(result.error);
    setBusy(false);
  }
  return (
    <form onSubmit={onSubmit} aria-label="Sign in">
      <label className="field">
        <span>User name</span>
        <input name="username" autoComplete="username" required autoFocus />
      </label>
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
