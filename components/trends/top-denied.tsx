// Top denied values per dimension as ranked lists; each value drills through to the explorer with the
// page's filters and window, effect=deny and that value. A value the masking rules cover arrives as its
// marker (lib/masking/aggregate-views) and has no link: the explorer URL would have to carry the value.
import Link from "next/link";
import { MaskMarker } from "@/components/masking/mask-marker";
import type { Masked, TrendsTop } from "@/lib/masking/aggregate-views";
import type { RankedValue, TrendsDashboard } from "@/lib/trends/dashboard";
import type { ExplorerFilters } from "@/lib/explorer/query-params";
import { formatNumber } from "@/lib/explorer/format";
import { drillHref, type TopDimension } from "@/lib/views/trends-links";

const TITLES: [TopDimension, string][] = [
  ["action", "Actions"],
  ["resource", "Resources"],
  ["principal", "Principals"],
  ["agent", "Acting agents"],
  ["tool", "Tools"],
  ["policy", "Policies"],
  ["kind", "Resource kinds"],
];

function RankedList({ dim, title, items, filters, window }: { dim: TopDimension; title: string; items: Masked<RankedValue>[]; filters: ExplorerFilters; window: TrendsDashboard["window"] }) {
  const max = Math.max(1, ...items.map((i) => i.denials));
  return (
    <section className="panel ranked" aria-labelledby={`top-${dim}`}>
      <h3 id={`top-${dim}`}>Top denied {title.toLowerCase()}</h3>
      {items.length === 0 ? (
        <p className="muted">None in this window.</p>
      ) : (
        <ol className="ranked-list" aria-label={`Top denied ${title.toLowerCase()}`}>
          {items.map((item) => (
            <li key={item.value}>
              {item.masked ? (
                <span className="ranked-masked">
                  <span className="ranked-value">
                    <MaskMarker marker={item.value} />
                  </span>
                  <span className="ranked-count">{formatNumber(item.denials)}</span>
                  <span className="ranked-bar" style={{ width: `${(item.denials / max) * 100}%` }} aria-hidden="true" />
                </span>
              ) : (
                <Link href={drillHref(filters, window, dim, item.value)} title={`Denied decisions with ${dim} ${item.value}`}>
                  <span className="ranked-value">{item.value}</span>
                  <span className="ranked-count">{formatNumber(item.denials)}</span>
                  <span className="ranked-bar" style={{ width: `${(item.denials / max) * 100}%` }} aria-hidden="true" />
                </Link>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The lists `top` has (the page streams resources and tools separately: they need a scan of raw hops). */
export function TopDenied({ top, filters, window }: { top: TrendsTop; filters: ExplorerFilters; window: TrendsDashboard["window"] }) {
  return (
    <div className="ranked-grid">
      {TITLES.filter(([dim]) => top[dim] !== undefined).map(([dim, title]) => (
        <RankedList key={dim} dim={dim} title={title} items={top[dim]!} filters={filters} window={window} />
      ))}
    </div>
  );
}
