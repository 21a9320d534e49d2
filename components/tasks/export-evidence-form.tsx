"use client";
// "Export evidence" for a task: a reason is required (it goes into the signed manifest and the audit
// trail). Posts to /api/evidence/export and saves the returned zip; without JavaScript the form posts
// directly and the browser downloads the attachment.
import { type FormEvent, useState } from "react";
import { withCsrf } from "@/lib/client/csrf";

function fileNameFrom(disposition: string | null): string {
  const m = disposition ? /filename="?([^";]+)"?/.exec(disposition) : null;
  return m?.[1] ?? "evidence.zip";
}

export function ExportEvidenceForm({ task }: { task: string }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" | "done" | "error"; message?: string }>({ kind: "idle" });
  const [includeSensitive, setIncludeSensitive] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const reason = String(data.get("reason") ?? "").trim();
    const sensitiveReason = String(data.get("sensitiveReason") ?? "").trim();
    if (!reason) {
      setState({ kind: "error", message: "A reason is required." });
      return;
    }
    if (includeSensitive && sensitiveReason.length < 10) {
      setState({ kind: "error", message: "Say why the bundle needs the unmasked records (at least 10 characters); it is recorded." });
      return;
    }
    setState({ kind: "busy" });
    try {
      const res = await fetch("/api/evidence/export", {
        method: "POST",
        headers: withCsrf({ "content-type": "application/json" }),
        body: JSON.stringify(includeSensitive ? { task, reason, includeSensitive: true, sensitiveReason } : { task, reason }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        setState({ kind: "error", message: body?.error ?? `Export failed (${res.status})` });
        return;
      }
      const blob = await res.blob();
      const name = fileNameFrom(res.headers.get("content-disposition"));
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ kind: "done", message: `Downloaded ${name} (${blob.size.toLocaleString("en-US")} bytes). Verify offline with: npx hindsight evidence verify ${name}` });
    } catch (err) {
      setState({ kind: "error", message: `Export failed: ${(err as Error).message}` });
    }
  }

  return (
    <form className="export-form" aria-label="Export evidence" method="post" action="/api/evidence/export" onSubmit={onSubmit}>
      <input type="hidden" name="task" value={task} />
      <label className="field field-wide">
        <span>Reason (required; recorded in the bundle and the audit trail)</span>
        <input type="text" name="reason" required maxLength={2000} placeholder="e.g. INC-2291: payments-bot delegated approve to fx-quoter" />
      </label>
      <label className="checkbox-field">
        <input type="checkbox" name="includeSensitive" checked={includeSensitive} onChange={(e) => setIncludeSensitive(e.target.checked)} /> Include the raw
        records that hold sensitive values (otherwise they are withheld: masked copy, leaf hash and proof only)
      </label>
      {includeSensitive ? (
        <label className="field field-wide">
          <span>Why the bundle needs the unmasked records (recorded in the signed manifest and the audit trail)</span>
          <input type="text" name="sensitiveReason" required minLength={10} maxLength={2000} placeholder="e.g. court order 2026-113 requires the original log lines" />
        </label>
      ) : null}
      <button type="submit" className="primary" disabled={state.kind === "busy"}>
        {state.kind === "busy" ? "Exporting…" : "Export evidence"}
      </button>
      {state.kind === "done" ? (
        <p role="status" className="export-status">
          {state.message}
        </p>
      ) : null}
      {state.kind === "error" ? (
        <p role="alert" className="error-text">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
