"use client";
// The tasks list's filter form: submitting writes the filters into the URL (dropping the page cursor).
// Also a plain GET form before JavaScript loads.
import { useRouter } from "next/navigation";
import { type FormEvent, useTransition } from "react";
import { filtersFromForm, TimeRangeFields } from "@/components/filter-fields";
import { FLAG_CODES, flagLabel } from "@/lib/views/flag-codes";
import { TASK_FILTER_PARAMS, type TaskFilterParam, type TaskListFilters, taskListHref } from "@/lib/views/task-list-params";

const TEXT_FIELDS: { name: TaskFilterParam; label: string; placeholder: string }[] = [
  { name: "human", label: "Human", placeholder: "initiating human, exact" },
  { name: "agent", label: "Agent", placeholder: "any actor in the chain, exact" },
  { name: "resource", label: "Tool / resource", placeholder: "kind:id, kind or id" },
];

export function TaskFilters({ filters, limit }: { filters: TaskListFilters; limit: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: TaskListFilters = filtersFromForm(new FormData(event.currentTarget), Object.keys(TASK_FILTER_PARAMS) as TaskFilterParam[]);
    startTransition(() => router.push(taskListHref({ filters: next, limit })));
  }

  return (
    <form role="search" aria-label="Filter tasks" className="filters" action="/tasks" method="get" onSubmit={onSubmit} aria-busy={pending}>
      <div className="filters-row">
        <label className="field field-wide">
          <span>Search</span>
          <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="task id, human, actors, resources…" />
        </label>
        <TimeRangeFields filters={filters} />
      </div>
      <div className="filters-row">
        {TEXT_FIELDS.map((f) => (
          <label key={f.name} className="field">
            <span>{f.label}</span>
            <input type="text" name={f.name} defaultValue={filters[f.name] ?? ""} placeholder={f.placeholder} autoComplete="off" />
          </label>
        ))}
        <label className="field">
          <span>Flag</span>
          <select name="flag" defaultValue={filters.flag ?? ""}>
            <option value="">any</option>
            {FLAG_CODES.map((code) => (
              <option key={code} value={code}>
                {flagLabel(code)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={() => startTransition(() => router.push(taskListHref({ filters: {}, limit })))}>
          Clear filters
        </button>
        {pending ? (
          <span role="status" className="muted">
            Loading…
          </span>
        ) : null}
      </div>
    </form>
  );
}
