"use client";
// The explorer's filter bar for the trends page: same fields, same URL parameters, so a view moves
// between /decisions and /trends with its filters. Submitting keeps the bucket size.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useTransition } from "react";
import { EFFECTS, ENGINES, type ExplorerFilters, explorerHref, FILTER_PARAMS, type FilterParam, parseUtcDateTime } from "@/lib/explorer/query-params";
import { type TrendBucket, trendsHref } from "@/lib/views/trends-links";

const TEXT_FIELDS: { name: FilterParam; label: string; placeholder?: string }[] = [
  { name: "principal", label: "Principal", placeholder: "exact id" },
  { name: "agent", label: "Acting agent", placeholder: "exact id" },
  { name: "role", label: "Role" },
  { name: "action", label: "Action" },
  { name: "kind", label: "Resource kind" },
  { name: "rid", label: "Resource id" },
  { name: "policy", label: "Deciding policy" },
  { name: "pv", label: "Policy version" },
  { name: "ref", label: "Policy commit / revision" },
  { name: "pdp", label: "PDP instance" },
];

function inputValue(v: string | undefined): string {
  const d = v ? parseUtcDateTime(v) : null;
  return d ? d.toISOString().slice(0, 19) : "";
}

export function TrendsFilters({ filters, bucket }: { filters: ExplorerFilters; bucket?: TrendBucket }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: ExplorerFilters = {};
    for (const key of Object.keys(FILTER_PARAMS) as FilterParam[]) {
      const v = data.get(key);
      if (typeof v === "string" && v.trim() !== "") next[key] = v.trim();
    }
    startTransition(() => router.push(trendsHref(next, bucket)));
  }

  return (
    <form role="search" aria-label="Filter trends" className="filters" action="/trends" method="get" onSubmit={onSubmit} aria-busy={pending}>
      <div className="filters-row">
        <label className="field field-wide">
          <span>Search</span>
          <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="principal, agent, action, resource, policy, ids…" />
        </label>
        <label className="field">
          <span>From (UTC)</span>
          <input type="datetime-local" name="from" step={1} defaultValue={inputValue(filters.from)} />
        </label>
        <label className="field">
          <span>To (UTC)</span>
          <input type="datetime-local" name="to" step={1} defaultValue={inputValue(filters.to)} />
        </label>
      </div>
      <div className="filters-row">
        <label className="field">
          <span>Engine</span>
          <select name="engine" defaultValue={filters.engine ?? ""}>
            <option value="">any</option>
            {ENGINES.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Effect</span>
          <select name="effect" defaultValue={filters.effect ?? ""}>
            <option value="">any</option>
            {EFFECTS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        {TEXT_FIELDS.map((f) => (
          <label key={f.name} className="field">
            <span>{f.label}</span>
            <input type="text" name={f.name} defaultValue={filters[f.name] ?? ""} placeholder={f.placeholder} autoComplete="off" />
          </label>
        ))}
        {bucket ? <input type="hidden" name="bucket" value={bucket} /> : null}
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={() => startTransition(() => router.push(trendsHref({}, bucket)))}>
          Clear filters
        </button>
        <Link href={explorerHref({ filters })}>Open these decisions in the explorer</Link>
        {pending ? (
          <span role="status" className="muted">
            Loading…
          </span>
        ) : null}
      </div>
    </form>
  );
}
