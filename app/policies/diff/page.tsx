// Diff between any two policy versions (`?from=<id>&to=<id>`), picked with two selects.
import type { Metadata } from "next";
import Link from "next/link";
import { FileDiffView } from "@/components/policies/diff-view";
import { VersionDiffPicker } from "@/components/policies/version-picker";
import { getPool } from "@/lib/db/pool";
import { diffVersions, getVersionFiles, listVersions } from "@/lib/policies";
import "../policies.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare policy versions" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export default async function PolicyDiffPage({ searchParams }: Props) {
  const sp = await searchParams;
  const pool = getPool();
  const versions = await listVersions(pool);
  const ids = new Set(versions.map((v) => v.id));
  let from = one(sp.from);
  let to = one(sp.to);
  const problems: string[] = [];
  if (from !== undefined && !ids.has(from)) problems.push(`\`from\`: there is no policy version #${from}`);
  if (to !== undefined && !ids.has(to)) problems.push(`\`to\`: there is no policy version #${to}`);
  if (problems.length === 0 && to && !from) {
    // Opened from a version page: compare with the version stored just before it.
    from = versions.find((v) => Number(v.id) < Number(to))?.id;
  }
  if (problems.length === 0 && from && !to) to = versions[0]?.id;

  const diff = problems.length === 0 && from && to ? await diffVersions(pool, from, to) : null;
  const [filesFrom, filesTo] = diff ? await Promise.all([getVersionFiles(pool, diff.from.id), getVersionFiles(pool, diff.to.id)]) : [[], []];
  const contentOf = (path: string, status: string) => (status === "removed" ? filesFrom : filesTo).find((f) => f.path === path)?.content;
  const shown = diff?.files.filter((f) => f.status !== "same") ?? [];
  const same = diff?.files.filter((f) => f.status === "same") ?? [];

  return (
    <section>
      <p>
        <Link href="/policies">← Policy versions</Link>
      </p>
      <h1>Compare policy versions</h1>
      {problems.length ? (
        <div className="panel error-panel" role="alert">
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {versions.length < 2 ? <p className="muted">Import at least two versions to compare them.</p> : null}
      <VersionDiffPicker versions={versions} from={from} to={to} />
      {diff ? (
        <>
          <p data-testid="diff-summary">
            <Link href={`/policies/${diff.from.id}`}>
              <code>{diff.from.label}</code> #{diff.from.id}
            </Link>{" "}
            →{" "}
            <Link href={`/policies/${diff.to.id}`}>
              <code>{diff.to.label}</code> #{diff.to.id}
            </Link>
            : {shown.length === 0 ? "identical policy files" : `${shown.length} file${shown.length === 1 ? "" : "s"} differ`}
            {same.length ? <span className="muted">, {same.length} unchanged</span> : null}
          </p>
          {shown.map((f) => (
            <FileDiffView key={f.path} diff={f} content={contentOf(f.path, f.status)} />
          ))}
          {same.length ? (
            <details className="panel">
              <summary>{same.length} unchanged files</summary>
              <ul>
                {same.map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
