"use client";
// The explorer's filter bar for the trends page: same fields, same URL parameters, so a view moves
// between /decisions and /trends with its filters. Submitting keeps the bucket size.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useTransition } from "react";
import { type ExplorerFilters, explorerHref } from "@/lib/explorer/query-params";
import { FilterFields, filtersFromForm, SearchField, TimeRangeFields } from "../filter-fields";
import { type TrendBucket, trendsHref } from "@/lib/views/trends-links";

export function TrendsFilters({ filters, bucket }: { filters: ExplorerFilters; bucket?: TrendBucket }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: ExplorerFilters = filtersFromForm(new FormData(event.currentTarget));
    startTransition(() => router.push(trendsHref(next, bucket)));
  }

  return (
    <form role="search" aria-label="Filter trends" className="filters" action="/trends" method="get" onSubmit={onSubmit} aria-busy={pending}>
      <div className="filters-row">
        <SearchField filters={filters} />
        <TimeRangeFields filters={filters} />
      </div>
      <div className="filters-row">
        <FilterFields filters={filters} />
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
