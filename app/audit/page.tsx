// The app's own audit trail (admins and auditors): who signed in, changed users and tokens, revealed,
// searched, replayed, exported — newest first, filtered and keyset-paged by the URL, downloadable as CSV.
import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { InvalidParams } from "@/components/invalid-params";
import { AUDIT_PAGE_SIZE, auditHref, listAuditEvents, maskAuditRow, parseAuditParams } from "@/lib/audit/query";
import { getSensitiveRules } from "@/lib/masking/settings";
import { getPool } from "@/lib/db/pool";
import "../admin/admin.css";
import { auditView } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  // Reading the trail is itself recorded: who looked at whose actions is part of the story.
  await auditView("audit.view", null, sp);
  const parsed = parseAuditParams(sp);
  if (!parsed.ok) {
    return (
      <section>
        <h1>Audit trail</h1>
        <InvalidParams errors={parsed.errors} resetHref="/audit" resetLabel="Show the whole trail" />
        <AuditFilters filters={{}} limit={AUDIT_PAGE_SIZE} />
      </section>
    );
  }
  const { filters, page } = parsed;
  const [result, { ruleSet }] = await Promise.all([listAuditEvents(getPool(), filters, page), getSensitiveRules(getPool())]);
  const rows = result.rows.map((row) => maskAuditRow(row, ruleSet));
  const paged = !!(page.after || page.before);
  const base = (cursor: { after?: string; before?: string }) => auditHref("/audit", filters, { ...cursor, limit: page.limit });
  return (
    <section>
      <h1>Audit trail</h1>
      <p className="muted">
        Every sign-in, change to users, tokens and settings, reveal of a masked field, replay and export, as recorded when it
        happened. The trail is append-only: the database refuses changes and deletions.
      </p>
      <AuditFilters key={JSON.stringify(filters)} filters={filters} limit={page.limit} />
      <AuditTable rows={rows} filters={filters} nowMs={Date.now()} />
      {result.rows.length === 0 && paged ? (
        <p>
          <Link href={base({})}>Back to the newest events</Link>
        </p>
      ) : null}
      <nav aria-label="Pagination" className="pager">
        {paged ? <Link href={base({})}>« Newest</Link> : <span className="disabled" aria-disabled="true">« Newest</span>}
        {result.prevCursor ? (
          <Link href={base({ before: result.prevCursor })} rel="prev">
            ‹ Newer
          </Link>
        ) : (
          <span className="disabled" aria-disabled="true">
            ‹ Newer
          </span>
        )}
        {result.nextCursor ? (
          <Link href={base({ after: result.nextCursor })} rel="next">
            Older ›
          </Link>
        ) : (
          <span className="disabled" aria-disabled="true">
            Older ›
          </span>
        )}
      </nav>
    </section>
  );
}
