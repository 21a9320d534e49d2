// Policy versions: every stored snapshot with the commit that produced it, an archive import form, and
// a picker to compare any two versions.
import type { Metadata } from "next";
import { PolicyImportForm } from "@/components/policies/import-form";
import { VersionDiffPicker } from "@/components/policies/version-picker";
import { VersionsTable } from "@/components/policies/versions-table";
import { getPool } from "@/lib/db/pool";
import { commitsOf, listVersions } from "@/lib/policies";
import "./policies.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  const pool = getPool();
  const versions = await listVersions(pool);
  const rows = await Promise.all(versions.map(async (version) => ({ version, commits: await commitsOf(pool, version.id) })));
  const nowMs = Date.now();
  return (
    <section>
      <div className="page-title">
        <h1>Policy versions</h1>
        <p className="match-count">
          {versions.length === 1 ? "1 version" : `${versions.length} versions`}
        </p>
      </div>
      <p className="muted">
        Immutable snapshots of Cerbos policy sets, identified by content. Replays and impact analyses run against them; a
        decision is matched to the version in force by the commit it names, or by time.
      </p>
      <PolicyImportForm />
      <h2>Compare two versions</h2>
      <VersionDiffPicker versions={versions} />
      {versions.length < 2 ? <p className="muted">Import at least two versions to compare them.</p> : null}
      <h2>Versions</h2>
      <VersionsTable rows={rows} nowMs={nowMs} />
    </section>
  );
}
