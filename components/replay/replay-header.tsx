// The head of one replay column: which version (and how it was found), reproduced/diverged, or the
// reason it could not run (with compile errors as file:line).
import Link from "next/link";
import { resolvedByText, type ReplayOutcome } from "./replay-types";

export function ReplayStatusBadge({ status }: { status: "reproduced" | "diverged" }) {
  return <span className={`effect ${status === "reproduced" ? "effect-allow" : "effect-deny"} replay-status`}>{status}</span>;
}

export function ReplayHeader({ title, outcome, testId }: { title: string; outcome: ReplayOutcome; testId: string }) {
  return (
    <div className="replay-header" data-testid={testId} aria-live="polite">
      <h3>{title}</h3>
      {outcome.state === "idle" ? <p className="muted">Not replayed yet.</p> : null}
      {outcome.state === "loading" ? <p role="status">Replaying…</p> : null}
      {outcome.state === "failed" ? (
        <div role="alert" className="replay-error">
          <p className="error-text">{outcome.error}</p>
          {outcome.status === 422 && /no stored policy version/.test(outcome.error) ? (
            <p>
              <Link href="/policies">Import the policy history</Link> or compare with a version or draft.
            </p>
          ) : null}
          {outcome.compileErrors?.length ? (
            <ul className="compile-errors">
              {outcome.compileErrors.map((e, i) => (
                <li key={i}>
                  <code>
                    {e.file}
                    {e.line ? `:${e.line}` : ""}
                    {e.line && e.column ? `:${e.column}` : ""}
                  </code>{" "}
                  {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {outcome.state === "done" ? (
        <div>
          <p className="replay-verdict">
            <ReplayStatusBadge status={outcome.replay.status} />{" "}
            {outcome.replay.status === "reproduced" ? "every action got the effect the PDP logged" : "some actions got another effect than the PDP logged"}
          </p>
          {outcome.replay.target.kind === "version" ? (
            <dl className="facts">
              <dt>version</dt>
              <dd>
                <Link href={`/policies/${outcome.replay.target.version.id}`}>
                  <code>{outcome.replay.target.version.label}</code> #{outcome.replay.target.version.id}
                </Link>{" "}
                <span className="muted">({outcome.replay.target.version.source})</span>
              </dd>
              {outcome.replay.target.resolvedBy ? (
                <>
                  <dt>resolved by</dt>
                  <dd data-testid="resolved-by">
                    {resolvedByText(outcome.replay.target.resolvedBy)}
                    {outcome.replay.target.ref ? (
                      <>
                        {" "}
                        — <code title={outcome.replay.target.ref}>{outcome.replay.target.ref}</code>
                      </>
                    ) : null}
                  </dd>
                </>
              ) : null}
              <dt>evaluated at</dt>
              <dd>
                <code>{outcome.replay.now}</code>
              </dd>
            </dl>
          ) : (
            <p className="muted">Uploaded draft with {outcome.replay.target.fileCount} files, compiled for this replay only (not stored).</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
