// Denial trends: volume and deny rate over time (hour/day buckets, brush to zoom), policy-version
// changes, deny rate per version, top denied values and spikes. Same filters and URL parameters as the
// explorer; every number drills through to it.
import { InvalidParams } from "@/components/invalid-params";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { SpikesList } from "@/components/trends/spikes-list";
import { TopDenied } from "@/components/trends/top-denied";
import { TrendsFilters } from "@/components/trends/trends-filters";
import { VersionRateChart } from "@/components/trends/version-rate-chart";
import { VolumeChart } from "@/components/trends/volume-chart";
import { getPool } from "@/lib/db/pool";
import { masker, maskSpikes, maskTrendsTop } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import type { ValueMasker } from "@/lib/masking/value-markers";
import { formatNumber, formatUtc } from "@/lib/explorer/format";
import { explorerHref, parseExplorerParams } from "@/lib/explorer/query-params";
import { buildTrendsDashboard, topDeniedResourcesAndTools } from "@/lib/trends/dashboard";
import type { ExplorerFilters } from "@/lib/explorer/query-params";
import { parseBucket, trendsHref, windowFilters } from "@/lib/views/trends-links";
import "./trends.css";
import { auditView } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Trends" };

async function DeniedResourcesAndTools({ filters, window, mask }: { filters: ExplorerFilters; window: { from: string; to: string }; mask: ValueMasker }) {
  const top = await topDeniedResourcesAndTools(getPool(), filters, { from: new Date(window.from), to: new Date(window.to) });
  return <TopDenied top={maskTrendsTop(top, mask)} filters={filters} window={window} />;
}

export default async function TrendsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  await auditView("trends.view", null, sp);
  const parsed = parseExplorerParams(sp);
  const requestedBucket = parseBucket(sp.bucket);
  if (!parsed.ok) {
    return (
      <section>
        <h1>Trends</h1>
        <InvalidParams errors={parsed.errors} resetHref="/trends" resetLabel="Show all trends" />
      </section>
    );
  }
  const { filters } = parsed.query;
  // Resource and tool rankings need a scan of raw hops: they stream in after the rollup-backed charts.
  const [d, { ruleSet }] = await Promise.all([buildTrendsDashboard(getPool(), filters, requestedBucket, { resources: false }), getSensitiveRules(getPool())]);
  // Ranked values and spike contributors the masking rules cover show numbered markers (one masker for
  // the page, so a value keeps its number across lists) and lose their drill-through links.
  const mask = masker(ruleSet);
  const top = maskTrendsTop({ action: d.top.action, principal: d.top.principal, agent: d.top.agent, policy: d.top.policy, kind: d.top.kind }, mask);
  const spikes = maskSpikes(d.spikes, mask);
  const total = d.totals.allow + d.totals.deny + d.totals.other;
  const zoomed = !!(filters.from || filters.to);
  const other = d.bucket === "hour" ? "day" : "hour";

  return (
    <section className="trends-page">
      <div className="page-title">
        <h1>Trends</h1>
        <p className="match-count" data-testid="trends-window">
          {formatUtc(d.window.from)} – {formatUtc(d.window.to)} · {formatNumber(total)} decisions, {formatNumber(d.totals.deny)} denied
          {d.totals.denyRate !== null ? ` (${(d.totals.denyRate * 100).toFixed(1)}%)` : ""}
        </p>
      </div>
      <TrendsFilters key={JSON.stringify(filters)} filters={filters} bucket={requestedBucket} />

      {total === 0 ? (
        <div className="panel" role="status">
          <h2>No decisions in this window</h2>
          <p>
            Nothing matches these filters between {formatUtc(d.window.from)} and {formatUtc(d.window.to)}.{" "}
            <Link href="/trends">Clear the filters</Link> or <Link href="/ingest">upload decision logs</Link>.
          </p>
        </div>
      ) : (
        <>
          <section className="panel" aria-labelledby="volume-title">
            <div className="chart-head">
              <h2 id="volume-title">Allow / deny volume and deny rate</h2>
              <nav aria-label="Bucket size" className="segmented">
                <span aria-current="true">{d.bucket === "hour" ? "Hourly" : "Daily"}</span>
                <Link href={trendsHref(filters, other)}>{other === "hour" ? "Hourly" : "Daily"}</Link>
              </nav>
              {zoomed ? (
                <Link href={trendsHref({ ...filters, from: undefined, to: undefined }, requestedBucket)} className="button">
                  Reset zoom
                </Link>
              ) : null}
              <Link href={explorerHref({ filters: windowFilters(filters, d.window) })}>Decisions in this window</Link>
            </div>
            <p className="muted chart-hint">Drag the brush under the chart to zoom; dashed lines mark new policy versions.</p>
            <VolumeChart volume={d.volume} markers={d.versionMarkers} bucket={d.bucket} filters={filters} />
            {d.versionMarkers.length ? (
              <p className="muted">
                Policy versions first seen in this window:{" "}
                {d.versionMarkers.map((m) => (
                  <span key={m.sourceRef} className="version-chip" title={m.sourceRef}>
                    {m.sourceRef.slice(0, 24)} at {formatUtc(m.firstSeen)}
                  </span>
                ))}
              </p>
            ) : null}
          </section>

          <div className="trends-grid">
            <section className="panel" aria-labelledby="versions-title">
              <h2 id="versions-title">Deny rate by policy version</h2>
              {d.versionRates.length ? <VersionRateChart rates={d.versionRates} /> : <p className="muted">No versioned decisions.</p>}
            </section>
            <section className="panel" aria-labelledby="spikes-title">
              <h2 id="spikes-title">Deny spikes</h2>
              <SpikesList spikes={spikes} filters={filters} />
            </section>
          </div>

          <h2>Top denied</h2>
          <TopDenied top={top} filters={filters} window={d.window} />
          <Suspense
            fallback={
              <p className="muted" role="status">
                Counting denied resources and tools…
              </p>
            }
          >
            <DeniedResourcesAndTools filters={filters} window={d.window} mask={mask} />
          </Suspense>
        </>
      )}
    </section>
  );
}
