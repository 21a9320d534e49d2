"use client";
// The explorer's filter form. Submitting writes the filters into the URL (dropping the page cursor) so
// the view is a link; it also works as a plain GET form before JavaScript loads.
import { useRouter } from "next/navigation";
import { type FormEvent, useTransition } from "react";
import {
  EFFECTS,
  ENGINES,
  type ExplorerFilters as Filters,
  type ExplorerSort,
  explorerHref,
  FILTER_PARAMS,
  type FilterParam,
  PAGE_SIZES,
  parseUtcDateTime,
} from "@/lib/explorer/query-params";

interface Props {
  filters: Filters;
  sort: ExplorerSort;
  limit: number;
}

const TEXT_FIELDS: { name: FilterParam; label: string; placeholder?: string }[] = [
  { name: "principal", label: "Principal", placeholder: "exact id" },
  { name: "agent", label: "Acting agent", placeholder: "exact id" },
  { name: "role", label: "Role" },
  { name: "action", label: "Action" },
  { name: "kind", label: "Resource kind" },
  { name: "rid", label: "Resource id" },
  { name: "policy", label: "Deciding policy", placeholder: "e.g. resource.document.vdefault" },
  { name: "pv", label: "Policy version" },
  { name: "ref", label: "Policy commit / revision", placeholder: "full git commit hash" },
  { name: "pdp", label: "PDP instance" },
];

/** <input type="datetime-local"> wants "YYYY-MM-DDTHH:mm[:ss]" without a zone; the UI is all UTC. */
function toLocalInputValue(value: string | undefined): string {
  if (!value) return "";
  const date = parseUtcDateTime(value);
  if (!date) return "";
  const iso = date.toISOString();
  // Keep the precision the link had: "to" a minute means the whole minute, "to" a second that second.
  const hasSeconds = /T\d{2}:\d{2}:\d{2}/.test(value.replace(" ", "T"));
  return hasSeconds ? iso.slice(0, 19) : iso.slice(0, 16);
}

export function ExplorerFilters({ filters, sort, limit }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: Filters = {};
    for (const key of Object.keys(FILTER_PARAMS) as FilterParam[]) {
      const value = data.get(key);
      if (typeof value === "string" && value.trim() !== "") next[key] = value.trim();
    }
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
        <label className="field field-wide">
          <span>Search</span>
          <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="principal, agent, action, resource, policy, ids…" />
        </label>
        <label className="field">
          <span>From (UTC)</span>
          <input type="datetime-local" name="from" step={1} defaultValue={toLocalInputValue(filters.from)} />
        </label>
        <label className="field">
          <span>To (UTC)</span>
          <input type="datetime-local" name="to" step={1} defaultValue={toLocalInputValue(filters.to)} />
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
