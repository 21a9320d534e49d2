// Decisions explorer: filters, keyset-paged table and counts, all driven by the URL.
import { InvalidParams } from "@/components/invalid-params";
import type { Metadata } from "next";
import Link from "next/link";
import { DecisionsTable } from "@/components/decisions-table";
import { ExplorerFilters } from "@/components/explorer-filters";
import { KeysetPager } from "@/components/keyset-pager";
import { MatchCount } from "@/components/match-count";
import { countHopsCapped } from "@/lib/explorer/count-hops";
import { listHops } from "@/lib/explorer/list-hops";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, parseExplorerParams } from "@/lib/explorer/query-params";
import { auditView, currentUser, userCan } from "@/lib/auth/current";
import { getPool } from "@/lib/db/pool";
import { maskHopRow, type MaskedCell } from "@/lib/masking/hop-document";
import { getSensitiveRules } from "@/lib/masking/settings";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Decisions" };

export default async function DecisionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  await auditView("records.search", null, sp);
  const parsed = parseExplorerParams(sp);
  if (!parsed.ok) {
    return (
      <section>
        <h1>Decisions</h1>
        <InvalidParams errors={parsed.errors} resetHref="/decisions" resetLabel="Show all decisions" />
        <ExplorerFilters filters={{}} sort={DEFAULT_SORT} limit={DEFAULT_PAGE_SIZE} />
      </section>
    );
  }
  const { filters, sort, after, before, limit } = parsed.query;
  const nowMs = Date.now();
  const [page, count, { ruleSet }, user] = await Promise.all([
    listHops(filters, sort, { after, before }, limit),
    countHopsCapped(filters),
    getSensitiveRules(getPool()),
    currentUser(),
  ]);
  // Cells the masking rules cover (an e-mail address as principal id, configured columns) leave masked.
  const masked: Record<string, Record<string, MaskedCell>> = {};
  const rows = page.rows.map((r) => {
    const m = maskHopRow(r, ruleSet);
    if (Object.keys(m.masked).length) masked[r.id] = m.masked;
    return m.row;
  });
  return (
    <section>
      <div className="page-title">
        <h1>Decisions</h1>
        <MatchCount count={count} filtered={Object.keys(filters).length > 0} />
      </div>
      <ExplorerFilters key={JSON.stringify({ filters, limit })} filters={filters} sort={sort} limit={limit} />
      <DecisionsTable rows={rows} filters={filters} sort={sort} limit={limit} nowMs={nowMs} masked={masked} canReveal={userCan(user, "sensitive.reveal")} />
      {page.rows.length === 0 && (after || before) ? (
        <p>
          <Link href="/decisions">Back to the first page</Link>
        </p>
      ) : null}
      <KeysetPager
        filters={filters}
        sort={sort}
        limit={limit}
        prevCursor={page.prevCursor}
        nextCursor={page.nextCursor}
        paged={!!(after || before)}
      />
    </section>
  );
}
