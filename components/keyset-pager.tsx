// Previous / next page links for keyset pagination: each link carries the cursor of the first or
// last row on this page, so paging deep costs the same as paging once.
import Link from "next/link";
import { type ExplorerFilters, type ExplorerSort, explorerHref } from "@/lib/explorer/query-params";

interface Props {
  filters: ExplorerFilters;
  sort: ExplorerSort;
  limit: number;
  prevCursor: string | null;
  nextCursor: string | null;
  /** True when this page was reached through a cursor (so "first page" means something). */
  paged: boolean;
}

export function KeysetPager({ filters, sort, limit, prevCursor, nextCursor, paged }: Props) {
  const base = { filters, sort, limit };
  return (
    <nav aria-label="Pagination" className="pager">
      {paged ? (
        <Link href={explorerHref(base)}>« First page</Link>
      ) : (
        <span className="disabled" aria-disabled="true">
          « First page
        </span>
      )}
      {prevCursor ? (
        <Link href={explorerHref(base, { before: prevCursor })} rel="prev">
          ‹ Previous page
        </Link>
      ) : (
        <span className="disabled" aria-disabled="true">
          ‹ Previous page
        </span>
      )}
      {nextCursor ? (
        <Link href={explorerHref(base, { after: nextCursor })} rel="next">
          Next page ›
        </Link>
      ) : (
        <span className="disabled" aria-disabled="true">
          Next page ›
        </span>
      )}
    </nav>
  );
}
