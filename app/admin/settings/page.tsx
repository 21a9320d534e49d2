// Settings: which fields are sensitive (masked in the UI and in exports until revealed with a reason).
// Shows the list in force and where it comes from (admin override > HINDSIGHT_SENSITIVE_PATHS >
// built-ins), lets an admin edit it, and explains the syntax.
import type { Metadata } from "next";
import Link from "next/link";
import { SensitivePathsForm } from "@/components/masking/settings-form";
import { getPool } from "@/lib/db/pool";
import { DETECTOR_HELP, DETECTORS } from "@/lib/masking/detectors";
import { BUILTIN_RULES } from "@/lib/masking/rules";
import { ENV_VAR, fallbackRules, readOverride } from "@/lib/masking/settings";
import "@/components/masking/masking.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const override = await readOverride(getPool()).catch((err: Error) => ({ error: err.message }));
  let fallback: ReturnType<typeof fallbackRules> | { error: string };
  try {
    fallback = fallbackRules();
  } catch (err) {
    fallback = { error: (err as Error).message };
  }
  const envValue = process.env[ENV_VAR];
  const stored = override && "lines" in override ? override : null;
  const initial = stored ? stored.lines.join("\n") : "lines" in fallback ? fallback.lines.join("\n") : BUILTIN_RULES.join("\n");

  return (
    <section>
      <h1>Settings</h1>
      <section className="panel" aria-labelledby="masking-title">
        <h2 id="masking-title">Sensitive fields</h2>
        <p>
          Values these rules match are masked wherever decision data leaves the server for a person: the decision and task pages, the raw
          download, impact exports and evidence bundles. Investigators and auditors can reveal a value with a reason; every reveal and every
          change here is in the <Link href="/audit?action=sensitive">audit trail</Link>.
        </p>
        <p>
          <strong>In force:</strong>{" "}
          {stored ? (
            <>
              the list below, saved by {stored.updatedBy ?? "(unknown)"} at <time dateTime={stored.updatedAt}>{stored.updatedAt.replace("T", " ").slice(0, 19)} UTC</time>.
            </>
          ) : "error" in fallback ? (
            <span className="error-text">nothing can be masked until {ENV_VAR} is fixed: {fallback.error}</span>
          ) : fallback.source === "env" ? (
            <>
              the list from <code>{ENV_VAR}</code> (no override saved here).
            </>
          ) : (
            <>the built-in defaults (no override saved here, {ENV_VAR} not set).</>
          )}
        </p>
        {override && "error" in override ? (
          <p role="alert" className="error-text">
            The stored list cannot be read ({override.error}); pages that show record data fail until it is saved again.
          </p>
        ) : null}
        <SensitivePathsForm initial={initial} hasOverride={!!override} />
      </section>

      <section className="panel" aria-labelledby="syntax-title">
        <h2 id="syntax-title">Rule syntax</h2>
        <ul>
          <li>
            A path is dot-separated keys: <code>principal.attr.email</code>. It matches at any depth of a record (it finds the principal of every
            Cerbos input), unless it starts with <code>$</code>, which anchors it at the decision entry: <code>$.requested_by</code>.
          </li>
          <li>
            <code>*</code> is any one key or array index (<code>*.attr.email</code>, <code>auxData.jwt.*</code>), <code>**</code> any number of
            them (<code>**.email</code>). Keys compare case-insensitively; digits match an array index; quote keys with dots or spaces:{" "}
            <code>metadata.&quot;x.custom&quot;</code>.
          </li>
          <li>A matched object or array is masked whole; a trailing <code>.*</code> masks each of its children instead.</li>
          <li>
            Indexed decisions (explorer rows, impact flips, evidence hops, the task hop panel) are matched as{" "}
            <code>principal.id</code>, <code>principal.roles</code>, <code>actingAgent</code>, <code>action</code>, <code>resource.kind</code>,{" "}
            <code>resource.id</code>, <code>pdp</code>, <code>requestId</code>, <code>recordKey</code>, <code>policy</code>,{" "}
            <code>initiatingHuman</code>, <code>actorChain</code> and <code>delegation.…</code> (the delegation facts). JWT claims decoded from an
            OPA token are matched as <code>auxData.jwt.&lt;claim&gt;</code>, like the claims Cerbos logs.
          </li>
          <li>
            Detectors mask string values by their shape, wherever they are (whole values only, not text that mentions one):
            <ul>
              {DETECTORS.map((d) => (
                <li key={d}>
                  <code>detect:{d}</code>: {DETECTOR_HELP[d]}
                </li>
              ))}
            </ul>
          </li>
          <li>
            <code>@defaults</code> stands for the built-in list, so an override can add to it. An empty list masks nothing.
          </li>
        </ul>
      </section>

      <section className="panel" aria-labelledby="defaults-title">
        <h2 id="defaults-title">Built-in defaults</h2>
        <ul className="rules-list mono" aria-label="Built-in masked paths">
          {BUILTIN_RULES.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        <h3>
          <code>{ENV_VAR}</code>
        </h3>
        {envValue === undefined || envValue.trim() === "" ? (
          <p className="muted">Not set (the built-in defaults apply when no override is saved).</p>
        ) : (
          <>
            <pre className="mono">{envValue}</pre>
            {"error" in fallback ? <p className="error-text">{fallback.error}</p> : null}
          </>
        )}
      </section>
    </section>
  );
}
