// One policy version: its facts, the commits that produced it, compile errors with file:line, the
// decisions made while it was in force, and a file tree with a highlighted file viewer (`?file=`).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CompileBadge } from "@/components/policies/compile-badge";
import { CommitsTable, CompileErrorList } from "@/components/policies/version-facts";
import { FileTree } from "@/components/policies/file-tree";
import { inForceWindows } from "@/components/policies/in-force-window";
import { YamlView } from "@/components/policies/yaml-view";
import { Facts, Section } from "@/components/record/section";
import { UtcTime } from "@/components/utc-time";
import { getPool } from "@/lib/db/pool";
import { explorerHref } from "@/lib/explorer/query-params";
import { commitsOf, getVersion, getVersionFiles, listVersions } from "@/lib/policies";
import "../policies.css";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Policy version #${id}` };
}

export default async function PolicyVersionPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { file } = await searchParams;
  const pool = getPool();
  const version = await getVersion(pool, id);
  if (!version) notFound();
  const [files, commits, versions] = await Promise.all([getVersionFiles(pool, id), commitsOf(pool, id), listVersions(pool)]);
  const sources = new Set(commits.map((c) => c.source));
  const sourceCommits = (await Promise.all(versions.map((v) => commitsOf(pool, v.id)))).flat().filter((c) => sources.has(c.source));
  const windows = inForceWindows(id, sourceCommits);
  const errors = version.compileErrors ?? [];
  const errorCounts = new Map<string, number>();
  for (const e of errors) errorCounts.set(e.file, (errorCounts.get(e.file) ?? 0) + 1);

  const wanted = typeof file === "string" ? file : undefined;
  const shown = files.find((f) => f.path === wanted) ?? files.find((f) => errorCounts.has(f.path)) ?? files[0];
  const errorLines = new Map<number, string>();
  for (const e of errors) if (shown && e.file === shown.path && e.line) errorLines.set(e.line, e.message);
  const hrefOf = (path: string) => `/policies/${id}?file=${encodeURIComponent(path)}`;
  const nowMs = Date.now();

  return (
    <article>
      <p>
        <Link href="/policies">← Policy versions</Link>
      </p>
      <div className="detail-header">
        <h1>
          Policy version <code>{version.label}</code> · #{version.id}
        </h1>
        <CompileBadge errors={errors.length} />
      </div>

      <Section id="version" title="Version">
        <Facts
          items={[
            ["source", <code key="s">{version.source}</code>],
            ["engine", version.engine],
            ["files", String(version.fileCount)],
            ["content hash", <code key="h">{version.contentHash}</code>],
            ["stored at", <UtcTime key="c" iso={version.createdAt.toISOString()} nowMs={nowMs} />],
            [
              "compare",
              <span key="d">
                <Link href={`/policies/diff?to=${version.id}`}>diff against another version</Link>
              </span>,
            ],
          ]}
        />
      </Section>

      {errors.length ? <CompileErrorList errors={errors} hrefOf={hrefOf} /> : null}

      <Section id="commits" title={commits.length === 1 ? "Commit that produced it" : `${commits.length} commits that produced it`}>
        <CommitsTable commits={commits} nowMs={nowMs} />
      </Section>

      <Section id="decisions" title="Decisions made under this version">
        {commits.length > 0 ? (
          <ul>
            {commits.map((c) => (
              <li key={`${c.source}-${c.ref}`}>
                <Link href={explorerHref({ filters: { ref: c.ref } })}>Decisions whose PDP reported commit {c.ref.slice(0, 12)}</Link>{" "}
                <span className="muted">({c.source})</span>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="muted">
          Exact: records name the commit their PDP served (Cerbos <code>policySource.git.hash</code>). Records that name no commit
          fall in the time windows below.
        </p>
        {windows.length === 0 ? (
          <p className="muted">No commit of this version&apos;s source is recorded, so its time in force is unknown.</p>
        ) : (
          <ul>
            {windows.map((w) => {
              const filters = { from: w.from.toISOString(), ...(w.to ? { to: new Date(w.to.getTime() - 1).toISOString() } : {}) };
              return (
                <li key={`${w.source}-${w.from.toISOString()}`}>
                  <Link href={explorerHref({ filters })}>
                    Decisions from <UtcTime iso={w.from.toISOString()} nowMs={nowMs} /> {w.to ? <>to <UtcTime iso={w.to.toISOString()} nowMs={nowMs} /></> : "on"}
                  </Link>{" "}
                  <span className="muted">(in force in {w.source})</span>
                </li>
              );
            })}
          </ul>
        )}
        <p className="muted">By time: PDPs serving other policy stores in the same window are included.</p>
      </Section>

      <Section id="files" title={`Files (${files.length})`}>
        {files.length === 0 ? (
          <p className="muted">This version has no policy files.</p>
        ) : (
          <div className="policy-files">
            <FileTree paths={files.map((f) => f.path)} hrefOf={hrefOf} current={shown?.path} errorCounts={errorCounts} />
            {shown ? (
              <div className="policy-file">
                <h3>
                  <code>{shown.path}</code>
                </h3>
                <YamlView path={shown.path} content={shown.content} errorLines={errorLines} />
              </div>
            ) : null}
          </div>
        )}
      </Section>
    </article>
  );
}
