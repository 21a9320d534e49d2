"use client";
// Creates an ingest token and shows its secret exactly once (the server keeps only a hash), with ready
// to paste configuration for the endpoints it may call. Leaving or reloading the page loses the secret
// for good; that is the point.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { CopyButton } from "@/components/copy-button";
import { sendJson } from "@/lib/client/send-json";

interface Created {
  token: string;
  info: { id: string; name: string; endpoints: ("opa" | "cerbos")[]; pdp: string };
}

function opaConfig(origin: string, token: string): string {
  return `services:
  hindsight:
    url: ${origin}/api/ingest/opa
    credentials:
      bearer:
        token: "${token}"
decision_logs:
  service: hindsight
  reporting:
    min_delay_seconds: 5
    max_delay_seconds: 10`;
}

function cerbosCurl(origin: string, token: string): string {
  return `curl --fail-with-body -X POST ${origin}/api/ingest/cerbos \\
  -H "Authorization: Bearer ${token}" \\
  -H "Content-Type: application/x-ndjson" \\
  --data-binary @audit.log`;
}

export function CreateTokenForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const endpoints = form.getAll("endpoints");
    if (endpoints.length === 0) {
      setError("choose at least one endpoint (OPA, Cerbos or both)");
      return;
    }
    setBusy(true);
    setError(null);
    setCreated(null);
    const result = await sendJson<Created>("POST", "/api/admin/tokens", {
      name: String(form.get("name") ?? "").trim(),
      endpoints,
      pdp: String(form.get("pdp") ?? "").trim() || null,
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    formEl.reset();
    setCreated(result.data);
    router.refresh();
  }

  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <>
      <form onSubmit={onSubmit} aria-label="Create an ingest token" className="panel admin-form">
        <h2>Create a token</h2>
        <div className="filters-row">
          <label className="field">
            <span>Name (the PDP or shipper it is for)</span>
            <input name="name" required maxLength={200} pattern="[\w.:@\/\-]+" title="letters, digits and . _ - : @ /" autoComplete="off" placeholder="opa-gateway-eu1" />
          </label>
          <label className="field">
            <span>PDP instance for Cerbos records (optional)</span>
            <input name="pdp" maxLength={200} pattern="[\w.:@\/\-]+" title="letters, digits and . _ - : @ /" autoComplete="off" placeholder="defaults to the name" />
          </label>
        </div>
        <fieldset className="role-choices role-choices-inline">
          <legend>May push to</legend>
          <label>
            <input type="checkbox" name="endpoints" value="opa" defaultChecked /> OPA decision logs (<code>/api/ingest/opa/logs</code>)
          </label>
          <label>
            <input type="checkbox" name="endpoints" value="cerbos" defaultChecked /> Cerbos audit logs (<code>/api/ingest/cerbos</code>)
          </label>
        </fieldset>
        <p className="muted small">
          Cerbos audit entries name no PDP, so they are attributed to the token&apos;s PDP instance; OPA events carry their own
          (<code>labels.id</code>).
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
        {error ? (
          <p role="alert" className="error-text">
            {error}
          </p>
        ) : null}
      </form>
      {created ? (
        <section className="panel secret-panel" aria-label="New token">
          <h2>Token for {created.info.name}</h2>
          <p role="status">
            <strong>Copy it now: it is shown only this once.</strong> Hindsight stores only its hash; if it is lost, revoke it and
            create another.
          </p>
          <div className="secret-line">
            <code id="new-token-secret" className="secret">
              {created.token}
            </code>
            <CopyButton text={created.token} label="Copy token" />
          </div>
          {created.info.endpoints.includes("opa") ? (
            <>
              <h3>OPA configuration</h3>
              <div className="json-block">
                <pre tabIndex={0}>{opaConfig(origin, created.token)}</pre>
                <CopyButton text={opaConfig(origin, created.token)} label="Copy OPA configuration" />
              </div>
            </>
          ) : null}
          {created.info.endpoints.includes("cerbos") ? (
            <>
              <h3>Cerbos: ship the file audit backend&apos;s NDJSON</h3>
              <p className="muted small">
                With a log shipper (Fluent Bit, Vector) POSTing to the same URL with the same header, or by hand. Records are
                attributed to PDP instance <code>{created.info.pdp}</code>.
              </p>
              <div className="json-block">
                <pre tabIndex={0}>{cerbosCurl(origin, created.token)}</pre>
                <CopyButton text={cerbosCurl(origin, created.token)} label="Copy curl command" />
              </div>
            </>
          ) : null}
          <button type="button" onClick={() => setCreated(null)}>
            I have stored it — hide the token
          </button>
        </section>
      ) : null}
    </>
  );
}
