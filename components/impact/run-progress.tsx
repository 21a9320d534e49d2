"use client";
// Live counters of an impact run: polls every second while it is queued/running/cancelling, refreshes
// the page (tables, drill-down) when it ends, and offers Cancel while it runs.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatNumber } from "@/lib/explorer/format";
import type { ImpactRunView } from "@/lib/replay/impact-report";
import { RunStatusBadge } from "./run-status";
import { withCsrf } from "@/lib/client/csrf";

const ACTIVE = new Set(["queued", "running", "cancelling"]);

export function RunProgress({ initial }: { initial: ImpactRunView }) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  const [cancelError, setCancelError] = useState<string>();
  const active = ACTIVE.has(run.status);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let shownFlips = initial.allowToDeny + initial.denyToAllow;
    let refreshedAt = Date.now();
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`/api/impact/${initial.id}`, { cache: "no-store" });
        if (!res.ok || stopped) return;
        const next = (await res.json()) as ImpactRunView;
        setRun(next);
        const flips = next.allowToDeny + next.denyToAllow;
        if (!ACTIVE.has(next.status)) router.refresh();
        else if (flips !== shownFlips && Date.now() - refreshedAt > 3000) {
          // Flip tables and the list are server-rendered: refresh them now and then while flips arrive.
          shownFlips = flips;
          refreshedAt = Date.now();
          router.refresh();
        }
      } catch {
        // A missed poll is retried a second later.
      }
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active, initial.id, router]);

  async function cancel() {
    setCancelError(undefined);
    const res = await fetch(`/api/impact/${initial.id}/cancel`, { method: "POST", headers: withCsrf() });
    if (res.ok) setRun((r) => ({ ...r, status: "cancelling" }));
    else setCancelError(((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? `the server answered ${res.status}`);
  }

  const skipReasons = Object.entries(run.skipReasons ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <section className="panel" aria-labelledby="progress-title" data-testid="impact-progress">
      <h2 id="progress-title">
        {active ? "Progress" : "Totals"} <RunStatusBadge status={run.status} />
      </h2>
      <div className="summary-numbers impact-numbers" role="status" aria-live="polite">
        <span>
          <strong>{formatNumber(run.decisions)}</strong> decisions replayed
        </span>
        <span>
          <strong>{formatNumber(run.actions)}</strong> actions
        </span>
        <span className="impact-a2d">
          <strong data-testid="allow-to-deny">{formatNumber(run.allowToDeny)}</strong> allow → deny
        </span>
        <span className="impact-d2a">
          <strong data-testid="deny-to-allow">{formatNumber(run.denyToAllow)}</strong> deny → allow
        </span>
        <span>
          <strong>{formatNumber(run.unchanged)}</strong> unchanged
        </span>
        <span>
          <strong>{formatNumber(run.skipped)}</strong> skipped
        </span>
      </div>
      {active ? (
        <p>
          <progress aria-label="Impact run in progress" className="impact-progress" />{" "}
          <button type="button" onClick={cancel} disabled={run.status === "cancelling"}>
            {run.status === "cancelling" ? "Cancelling…" : "Cancel"}
          </button>
        </p>
      ) : null}
      {cancelError ? (
        <p role="alert" className="error-text">
          {cancelError}
        </p>
      ) : null}
      {run.status === "failed" && run.error ? (
        <p role="alert" className="error-text">
          The run failed: {run.error}
        </p>
      ) : null}
      {run.status === "cancelled" ? <p className="muted">Cancelled: the counts cover the decisions replayed before it stopped.</p> : null}
      {skipReasons.length ? (
        <>
          <h3>Skipped, by reason</h3>
          <ul className="skip-reasons">
            {skipReasons.map(([reason, n]) => (
              <li key={reason}>
                <strong>{formatNumber(n)}</strong> {reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
