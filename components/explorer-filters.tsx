"use client";
// The explorer's filter form. Submitting writes the filters into the URL (dropping the page cursor) so
// the view is a link; it also works as a plain GET form before JavaScript loads.
import { useRouter } from "next/navigation";
import { type FormEvent, useTransition } from "react";
import { type ExplorerFilters as Filters, type ExplorerSort, explorerHref, PAGE_SIZES } from "@/lib/explorer/query-params";
import { FilterFields, filtersFromForm, SearchField, TimeRangeFields } from "./filter-fields";

interface Props {
  filters: Filters;
  sort: ExplorerSort;
  limit: number;
}

export function ExplorerFilters({ filters, sort, limit }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: Filters = filtersFromForm(data);
    const pageSize = Number(data.get("limit")) || limit;
    startTransition(() => router.push(explorerHref({ filters: next, sort, limit: pageSize })));
  }

  function onClear() {
    startTransition(() => router.push(explorerHref({ filters: {}, sort, limit })));
  }

  return (
    <form
      role="search"
      aria-label="Filter decisions"
      className="filters"
      action="/decisions"
      method="get"
      onSubmit={onSubmit}
      aria-busy={pending}
    >
      <div className="filters-row">
        <SearchField filters={filters} />
        <TimeRangeFields filters={filters} />
      </div>
      <div className="filters-row">
        <FilterFields filters={filters} />
        <label className="field">
          <span>Rows per page</span>
          <select name="limit" defaultValue={String(limit)}>
            {(PAGE_SIZES.includes(limit as (typeof PAGE_SIZES)[number]) ? [...PAGE_SIZES] : [limit, ...PAGE_SIZES]).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={onClear}>
          Clear filters
        </button>
        {sort.column !== "time" || sort.direction !== "desc" ? (
          <>
            <input type="hidden" name="sort" value={sort.column} />
            <input type="hidden" name="dir" value={sort.direction} />
          </>
        ) : null}
        {pending ? (
          <span role="status" className="muted">
            Loading…
          </span>
        ) : null}
      </div>
    </form>
  );
}
