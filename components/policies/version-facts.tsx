// Parts of the version page: the commits that produced a version and its compile errors (file:line links).
import Link from "next/link";
import { Section } from "@/components/record/section";
import { UtcTime } from "@/components/utc-time";
import type { CompileError } from "@/lib/engine/types";
import type { PolicyCommit } from "@/lib/policies/types";

export function CommitsTable({ commits, nowMs }: { commits: PolicyCommit[]; nowMs: number }) {
  if (commits.length === 0) return <p className="muted">No commit points at this version.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table" aria-label="Commits">
        <thead>
          <tr>
            <th scope="col">Ref</th>
            <th scope="col">Source</th>
            <th scope="col">Committed</th>
            <th scope="col">Author</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {commits.map((c) => (
            <tr key={`${c.source}:${c.ref}`}>
              <td>
                <code title={c.ref}>{/^[0-9a-f]{40,64}$/.test(c.ref) ? c.ref.slice(0, 12) : c.ref}</code>
              </td>
              <td className="cell-clip" title={c.source}>
                {c.source}
              </td>
              <td className="nowrap">
                <UtcTime iso={c.committedAt.toISOString()} nowMs={nowMs} />
              </td>
              <td>{c.author ?? <span className="muted">—</span>}</td>
              <td className="commit-message">{c.message ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CompileErrorList({ errors, hrefOf }: { errors: CompileError[]; hrefOf: (path: string) => string }) {
  return (
    <Section id="compile-errors" title={errors.length === 1 ? "1 compile error" : `${errors.length} compile errors`} className="error-panel">
      <ul className="compile-errors">
        {errors.map((e, i) => {
          const where = `${e.file}${e.line ? `:${e.line}` : ""}${e.line && e.column ? `:${e.column}` : ""}`;
          return (
            <li key={i}>
              {e.file ? (
                <Link href={`${hrefOf(e.file)}${e.line ? `#L${e.line}` : ""}`}>
                  <code>{where}</code>
                </Link>
              ) : null}{" "}
              {e.message}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
