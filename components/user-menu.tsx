"use client";
// The signed-in user's name, roles and sign-out button (POST with the CSRF token, then to /login).
import Link from "next/link";
import { useState } from "react";
import { withCsrf } from "@/lib/client/csrf";

export function UserMenu({ username, roles }: { username: string; roles: string[] }) {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch("/api/auth/logout", { method: "POST", headers: withCsrf() }).catch(() => null);
    window.location.assign("/login");
  }
  return (
    <div className="user-menu">
      <Link href="/account" title={roles.length ? `Roles: ${roles.join(", ")}` : "No roles yet"}>
        {username}
      </Link>
      <button type="button" onClick={signOut} disabled={busy}>
        Sign out
      </button>
    </div>
  );
}
