// The stored policy versions, newest first, with the commit that produced each (the newest one when
// several commits share a snapshot) and whether the set compiles.
import Link from "next/link";
import { UtcTime } from "@/components/utc-time";
import type { PolicyCommit, PolicyVersion } from "@/lib/policies/types";
import { CompileBadge } from "./compile-badge";

export interface VersionRow {
  version: PolicyVersion;
  commits: PolicyCommit[];
}

function firstLine(text: string | null): string {
  return (text ?? "").split("\n")[0]!.trim();
}

export function VersionsTable({ rows, nowMs }: { rows: VersionRow[]; nowMs: number }) {
  if (rows.length === 0) {
    return (
      <div className="table-wrap">
        <p className="empty">No policy versions yet. Import an archive above, or a git history with the CLI.</p>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data-table" aria-label="Policy versions" data-testid="versions-table">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Source</th>
            <th scope="col">Committed</th>
            <th scope="col">Author</th>
            <th scope="col">Message</th>
            <th scope="col">Files</th>
            <th scope="col">Compiles</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ version: v, commits }) => {
            const latest = commits[commits.length - 1];
            return (
              <tr key={v.id}>
                <td className="nowrap">
                  <Link href={`/policies/${v.id}`}>
                    <code>{v.label}</code>
                  </Link>{" "}
                  <span className="muted">#{v.id}</span>
                </td>
                <td className="cell-clip" title={v.source}>
                  {v.source}
                </td>
                <td className="nowrap">{latest ? <UtcTime iso={latest.committedAt.toISOString()} nowMs={nowMs} /> : <span className="muted">—</span>}</td>
                <td>{latest?.author ?? <span className="muted">—</span>}</td>
                <td className="cell-clip" title={latest?.message ?? undefined}>
                  {firstLine(latest?.message ?? null) || <span className="muted">—</span>}
                  {commits.length > 1 ? <span className="muted"> (+{commits.length - 1} more commits)</span> : null}
                </td>
                <td>{v.fileCount}</td>
                <td>
                  <CompileBadge errors={v.compileErrors?.length ?? 0} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
