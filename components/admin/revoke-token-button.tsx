"use client";
// Revokes a token after a confirmation: the PDP using it is refused (401) from its next request on.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/lib/client/send-json";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function revoke() {
    if (!window.confirm(`Revoke the token "${name}"? Whatever uses it is refused from its next request on. This cannot be undone.`)) return;
    setBusy(true);
    setError(null);
    const result = await sendJson("POST", `/api/admin/tokens/${id}/revoke`);
    setBusy(false);
    if (!result.ok) setError(result.error);
    else router.refresh();
  }
  return (
    <>
      <button type="button" onClick={revoke} disabled={busy} aria-label={`Revoke ${name}`}>
        {busy ? "Revoking…" : "Revoke"}
      </button>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </>
  );
}
