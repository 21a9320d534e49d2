"use client";
// The audit trail's filter form. Submitting writes the filters into the URL (dropping the page cursor) so
// a view of the trail is a link; it also works as a plain GET form before JavaScript loads.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useTransition } from "react";
import { TimeRangeFields, filtersFromForm } from "@/components/filter-fields";
import { AUDIT_FILTER_PARAMS, auditHref, type AuditFilterParam, type AuditFilters as Filters } from "@/lib/audit/query";

const KEYS = Object.keys(AUDIT_FILTER_PARAMS) as AuditFilterParam[];

export function AuditFilters({ filters, limit }: { filters: Filters; limit: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = filtersFromForm(new FormData(event.currentTarget), KEYS);
    startTransition(() => router.push(auditHref("/audit", next, { limit })));
  }

  return (
    <form role="search" aria-label="Filter the audit trail" className="filters" action="/audit" method="get" onSubmit={onSubmit} aria-busy={pending}>
      <div className="filters-row">
        <label className="field">
          <span>Who</span>
          <input name="actor" defaultValue={filters.actor ?? ""} placeholder="user name, or cli:*" title={AUDIT_FILTER_PARAMS.actor} />
        </label>
        <label className="field">
          <span>Action</span>
          <input name="action" defaultValue={filters.action ?? ""} placeholder="user, token.create, auth.*" title={AUDIT_FILTER_PARAMS.action} />
        </label>
        <label className="field">
          <span>Target</span>
          <input name="target" defaultValue={filters.target ?? ""} placeholder="an id; a trailing * matches a prefix" title={AUDIT_FILTER_PARAMS.target} />
        </label>
        <TimeRangeFields filters={filters} />
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <Link href="/audit">Clear</Link>
        <a href={auditHref("/audit/csv", filters)} download>
          Download CSV
        </a>
        <span className="muted small">Text matches exactly; end with * for a prefix. An action area alone (user) means all its actions.</span>
      </div>
    </form>
  );
}
