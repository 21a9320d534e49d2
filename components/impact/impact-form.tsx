"use client";
// Starts an impact analysis: candidate version + time window + the explorer's filters. Also works as a
// plain form post (the route redirects to the run) before JavaScript loads.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { ExplorerFilters } from "@/lib/explorer/query-params";
import { FilterFields, SearchField, TimeRangeFields } from "../filter-fields";
import { withCsrf } from "@/lib/client/csrf";

export interface CandidateChoice {
  id: string;
  label: string;
  source: string;
  compileErrors: number;
}

export function ImpactForm({ candidates, filters, candidate }: { candidates: CandidateChoice[]; filters: ExplorerFilters; candidate?: string }) {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body: Record<string, string> = {};
    for (const [k, v] of data) if (typeof v === "string" && v.trim() !== "") body[k] = v.trim();
    setState({ busy: true });
    try {
      const res = await fetch("/api/impact", { method: "POST", headers: withCsrf({ "content-type": "application/json" }), body: JSON.stringify(body) });
      const answer = (await res.json().catch(() => null)) as { href?: string; error?: string } | null;
      if (!res.ok || !answer?.href) {
        setState({ busy: false, error: answer?.error ?? `the server answered ${res.status}` });
        return;
      }
      router.push(answer.href);
    } catch (err) {
      setState({ busy: false, error: `network error: ${(err as Error).message}` });
    }
  }

  const usable = candidates.filter((c) => c.compileErrors === 0);
  return (
    <form className="filters" aria-label="Start an impact analysis" method="post" action="/api/impact" onSubmit={onSubmit} aria-busy={state.busy}>
      <div className="filters-row">
        <label className="field field-wide">
          <span>Candidate policy version</span>
          <select name="candidate" defaultValue={candidate ?? usable[0]?.id ?? ""} required>
            {candidates.map((c) => (
              <option key={c.id} value={c.id} disabled={c.compileErrors > 0}>
                #{c.id} {c.label} — {c.source}
                {c.compileErrors ? ` (does not compile: ${c.compileErrors} errors)` : ""}
              </option>
            ))}
          </select>
        </label>
        <TimeRangeFields filters={filters} />
      </div>
      <div className="filters-row">
        <SearchField filters={filters} />
        {/* Impact analysis replays Cerbos decisions only, so there is no engine choice. */}
        <FilterFields filters={filters} showEngine={false} effectLabel="Effect (as logged)" />
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary" disabled={state.busy || usable.length === 0}>
          Run impact analysis
        </button>
        {state.busy ? (
          <span role="status" className="muted">
            Starting…
          </span>
        ) : null}
        <span className="muted">Replays the Cerbos decisions matching the window and filters; an empty window means all history.</span>
      </div>
      {state.error ? (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
