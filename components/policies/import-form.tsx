"use client";
// Upload a policy archive (zip / tar.gz of a Cerbos policy folder) as a new version. The source name is
// required: versions are filed under it, and decisions naming that store resolve within it.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { withCsrf } from "@/lib/client/csrf";

type Outcome =
  | { kind: "idle" }
  | { kind: "busy" }
  | { kind: "done"; id: string; label: string; created: boolean; compileErrors: number }
  | { kind: "failed"; error: string };

export function PolicyImportForm() {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setOutcome({ kind: "busy" });
    try {
      const res = await fetch("/api/policies/import", { method: "POST", headers: withCsrf(), body: new FormData(form) });
      const body = (await res.json().catch(() => null)) as {
        error?: string;
        created?: boolean;
        version?: { id: string; label: string; compileErrors: unknown[] | null };
      } | null;
      if (!res.ok || !body?.version) {
        setOutcome({ kind: "failed", error: body?.error ?? `the server answered ${res.status}` });
        return;
      }
      setOutcome({
        kind: "done",
        id: body.version.id,
        label: body.version.label,
        created: !!body.created,
        compileErrors: body.version.compileErrors?.length ?? 0,
      });
      form.reset();
      router.refresh();
    } catch (err) {
      setOutcome({ kind: "failed", error: `network error: ${(err as Error).message}` });
    }
  }

  return (
    <form className="panel" aria-label="Import policies" onSubmit={onSubmit} encType="multipart/form-data">
      <h2>Import a policy archive</h2>
      <div className="filters-row">
        <label className="field field-wide">
          <span>Source name (required)</span>
          <input type="text" name="source" required placeholder="e.g. github.com/acme/policies or /etc/cerbos/policies" autoComplete="off" />
        </label>
        <label className="field field-wide">
          <span>Archive (.zip, .tar.gz)</span>
          <input type="file" name="file" required accept=".zip,.tar,.tar.gz,.tgz,application/zip,application/gzip" />
        </label>
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary" disabled={outcome.kind === "busy"}>
          Import archive
        </button>
        <span role="status" className="muted">
          {outcome.kind === "busy" ? "Importing…" : null}
          {outcome.kind === "done" ? (
            <>
              {outcome.created ? "Imported" : "Already stored:"} <Link href={`/policies/${outcome.id}`}>version {outcome.label}</Link>
              {outcome.compileErrors ? ` (${outcome.compileErrors} compile errors)` : " (compiles)"}
            </>
          ) : null}
        </span>
      </div>
      {outcome.kind === "failed" ? (
        <p role="alert" className="error-text">
          {outcome.error}
        </p>
      ) : null}
      <p className="muted">
        A git repository&apos;s whole history (one version per commit) is imported from the command line:{" "}
        <code>npx hindsight policies import &lt;repository path or bundle&gt; [--subdir policies]</code>.
      </p>
    </form>
  );
}
