// Impact analysis: "what would this policy version have decided?" over real past traffic. A form to
// start a run (prefilled from the URL, so the explorer's filters carry over) and the past runs.
import type { Metadata } from "next";
import Link from "next/link";
import { ImpactForm } from "@/components/impact/impact-form";
import { RunsTable } from "@/components/impact/runs-table";
import { getPool } from "@/lib/db/pool";
import { parseExplorerParams } from "@/lib/explorer/query-params";
import { maskExplorerFilters, masker } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import { listVersions } from "@/lib/policies";
import { listImpactRuns } from "@/lib/replay/impact-report";
import "./impact.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Impact analysis" };

export default async function ImpactPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const parsed = parseExplorerParams(sp);
  const filters = parsed.ok ? parsed.query.filters : {};
  const pool = getPool();
  const [versions, runs, { ruleSet }] = await Promise.all([listVersions(pool), listImpactRuns(pool), getSensitiveRules(pool)]);
  // Past runs' filters were typed by whoever started them: values the masking rules cover show as markers.
  const mask = masker(ruleSet);
  const shownRuns = runs.map((r) => ({ ...r, filters: maskExplorerFilters(r.filters, mask).filters }));
  const labels = new Map(versions.map((v) => [v.id, v.label]));
  const candidate = typeof sp.candidate === "string" ? sp.candidate : undefined;
  return (
    <section>
      <h1>Impact analysis</h1>
      <p className="muted">
        Replays past Cerbos decisions against a candidate policy version and lists every decision whose effect would flip.
        Decisions are replayed at the time they were made, with the inputs the PDP logged.
      </p>
      {!parsed.ok ? (
        <div className="panel error-panel" role="alert">
          <p>Some filters in this link were ignored:</p>
          <ul>
            {parsed.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {versions.length === 0 ? (
        <p role="alert" className="panel warning">
          No policy versions are imported yet. <Link href="/policies">Import one</Link> to analyse its impact.
        </p>
      ) : (
        <ImpactForm
          candidates={versions.map((v) => ({ id: v.id, label: v.label, source: v.source, compileErrors: v.compileErrors?.length ?? 0 }))}
          filters={filters}
          candidate={candidate}
        />
      )}
      <h2>Past runs</h2>
      <RunsTable runs={shownRuns} labels={labels} nowMs={Date.now()} />
    </section>
  );
}
