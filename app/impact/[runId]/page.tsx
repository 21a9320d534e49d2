// One impact run: live progress (polled) with Cancel, then totals, flips by action / resource kind /
// principal / agent / policy, a drill-down list of flipped decisions and CSV/JSON exports.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlipList } from "@/components/impact/flip-list";
import { DIMENSIONS, DIMENSION_LABELS, drillHref, type FlipQueryParams, parseFlipQuery } from "@/components/impact/flip-query";
import { FlipsByTable } from "@/components/impact/flips-by";
import { RunProgress } from "@/components/impact/run-progress";
import { filtersSummary } from "@/components/impact/runs-table";
import { Facts, Section } from "@/components/record/section";
import { UtcTime } from "@/components/utc-time";
import { currentUser, userCan } from "@/lib/auth/current";
import { getPool } from "@/lib/db/pool";
import { explorerHref } from "@/lib/explorer/query-params";
import { maskExplorerFilters, maskFlipCounts, maskFlipRows, masker } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import { getVersion } from "@/lib/policies";
import { flipsBy, getImpactRun, listFlips } from "@/lib/replay/impact-report";
import "../impact.css";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ runId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { runId } = await params;
  return { title: `Impact run #${runId}` };
}

const PAGE = 50;

export default async function ImpactRunPage({ params, searchParams }: Props) {
  const { runId } = await params;
  const pool = getPool();
  const run = await getImpactRun(pool, runId);
  if (!run) notFound();
  const parsed = parseFlipQuery(await searchParams);
  const query: FlipQueryParams = parsed.ok ? { ...parsed.query, after: undefined } : {};
  const [candidate, byDim, flips, { ruleSet }, user] = await Promise.all([
    getVersion(pool, run.candidateId),
    Promise.all(DIMENSIONS.map((d) => flipsBy(pool, runId, d))),
    listFlips(pool, runId, { direction: query.direction, dimension: query.dim, value: query.value, limit: PAGE }),
    getSensitiveRules(pool),
    currentUser(),
  ]);
  // Values the masking rules cover leave as markers: counts and the run's filters with numbered markers
  // and no links carrying them; the drill-down rows like explorer rows, with Reveal per cell.
  const mask = masker(ruleSet);
  const counts = DIMENSIONS.map((d, i) => maskFlipCounts(d, byDim[i]!, mask));
  const scope = maskExplorerFilters(run.filters, mask);
  const shownRun = { ...run, filters: scope.filters };
  const shownFlips = maskFlipRows(flips, ruleSet);
  const nowMs = Date.now();
  const filterKey = JSON.stringify(query);

  return (
    <article>
      <p>
        <Link href="/impact">← Impact analysis</Link>
      </p>
      <h1>Impact run #{run.id}</h1>
      <Section id="run" title="What was replayed">
        <Facts
          items={[
            [
              "candidate version",
              candidate ? (
                <Link key="c" href={`/policies/${candidate.id}`}>
                  <code>{candidate.label}</code> #{candidate.id} ({candidate.source})
                </Link>
              ) : (
                `#${run.candidateId}`
              ),
            ],
            [
              "decisions",
              <span key="f">
                {filtersSummary(scope.filters)} (Cerbos CheckResources)
                {scope.masked ? null : (
                  <>
                    {" "}
                    — <Link href={explorerHref({ filters: { ...run.filters, engine: "cerbos" } })}>open in the explorer</Link>
                  </>
                )}
              </span>,
            ],
            ["created", <UtcTime key="cr" iso={run.createdAt} nowMs={nowMs} />],
            ["started", run.startedAt ? <UtcTime key="s" iso={run.startedAt} nowMs={nowMs} /> : null],
            ["finished", run.finishedAt ? <UtcTime key="e" iso={run.finishedAt} nowMs={nowMs} /> : null],
          ]}
        />
      </Section>

      <RunProgress key={`${run.status}-${run.decisions}`} initial={shownRun} />

      <Section id="flips-by" title="Flips by">
        <div className="flips-by-grid">
          {DIMENSIONS.map((d, i) => (
            <FlipsByTable key={d} runId={run.id} dim={d} counts={counts[i]!} current={query} direction={query.direction} />
          ))}
        </div>
      </Section>

      <section id="flips" className="panel" aria-labelledby="flips-title">
        <h2 id="flips-title">Flipped decisions</h2>
        {!parsed.ok ? (
          <p role="alert" className="error-text">
            {parsed.error}; showing all flips.
          </p>
        ) : null}
        <nav className="drill-filters" aria-label="Drill-down filters">
          <span>Direction:</span>
          {([undefined, "allow_to_deny", "deny_to_allow"] as const).map((dir) => (
            <Link key={dir ?? "all"} href={drillHref(run.id, { ...query, direction: dir })} aria-current={query.direction === dir ? "true" : undefined} className="chip">
              {dir === undefined ? "all" : dir === "allow_to_deny" ? "allow → deny" : "deny → allow"}
            </Link>
          ))}
          {query.dim && query.value !== undefined ? (
            <span className="chip chip-active">
              {DIMENSION_LABELS[query.dim]}: <strong>{query.value}</strong>{" "}
              <Link href={drillHref(run.id, { direction: query.direction })} aria-label="Clear the dimension filter">
                ×
              </Link>
            </span>
          ) : null}
          <span className="exports">
            Export all flips: <a href={`/api/impact/${run.id}/csv`}>CSV</a> · <a href={`/api/impact/${run.id}/json`}>JSON</a>
          </span>
        </nav>
        <FlipList
          // New flips arrive while a run goes on: a refreshed page starts the list again.
          key={`${filterKey}-${run.status}-${run.allowToDeny + run.denyToAllow}`}
          runId={run.id}
          candidateId={run.candidateId}
          query={query}
          initial={shownFlips.rows}
          initialMasked={shownFlips.masked}
          initialNext={flips.length === PAGE ? flips[flips.length - 1]!.hopId : null}
          canReveal={userCan(user, "sensitive.reveal")}
        />
      </section>
    </article>
  );
}
