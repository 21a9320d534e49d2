"use client";
// The flipped decisions of a run, oldest hop first, 50 at a time ("More" continues from the last hop).
// Each opens the record with its replay panel, comparing against the candidate version.
import Link from "next/link";
import { useState } from "react";
import { EffectBadge } from "@/components/effect-badge";
import { formatUtc } from "@/lib/explorer/format";
import type { FlipRow } from "@/lib/replay/impact-report";
import type { FlipQueryParams } from "./flip-query";

export function FlipList({ runId, candidateId, query, initial, initialNext }: { runId: string; candidateId: string; query: FlipQueryParams; initial: FlipRow[]; initialNext: string | null }) {
  const [rows, setRows] = useState(initial);
  const [next, setNext] = useState(initialNext);
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });

  async function more() {
    if (!next) return;
    setState({ busy: true });
    const p = new URLSearchParams({ after: next, limit: "50" });
    if (query.direction) p.set("direction", query.direction);
    if (query.dim && query.value !== undefined) {
      p.set("dim", query.dim);
      p.set("value", query.value);
    }
    try {
      const res = await fetch(`/api/impact/${runId}/flips?${p}`);
      const body = (await res.json()) as { flips?: FlipRow[]; next?: string | null; error?: string };
      if (!res.ok || !body.flips) throw new Error(body.error ?? `the server answered ${res.status}`);
      setRows((r) => [...r, ...body.flips!]);
      setNext(body.next ?? null);
      setState({ busy: false });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  }

  if (rows.length === 0) {
    return (
      <div className="table-wrap">
        <p className="empty">No flipped decisions{query.direction || query.dim ? " match this drill-down" : ""}.</p>
      </div>
    );
  }
  return (
    <>
      <div className="table-wrap">
        <table className="data-table" aria-label="Flipped decisions" data-testid="flips-table">
          <thead>
            <tr>
              <th scope="col">Decided at</th>
              <th scope="col">Action</th>
              <th scope="col">Logged</th>
              <th scope="col">Candidate</th>
              <th scope="col">Principal</th>
              <th scope="col">Acting agent</th>
              <th scope="col">Resource</th>
              <th scope="col">Policy (logged → candidate)</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr key={f.hopId}>
                <td className="nowrap mono">{formatUtc(f.decidedAt)}</td>
                <td>{f.action}</td>
                <td>
                  <EffectBadge effect={f.fromEffect} />
                </td>
                <td>
                  <EffectBadge effect={f.toEffect} />
                </td>
                <td>{f.principalId ?? <span className="muted">—</span>}</td>
                <td>{f.actingAgent ?? <span className="muted">—</span>}</td>
                <td className="cell-clip" title={`${f.resourceKind ?? ""}:${f.resourceId ?? ""}`}>
                  {f.resourceKind}:{f.resourceId}
                </td>
                <td className="cell-clip" title={`${f.fromPolicy ?? "—"} → ${f.toPolicy ?? "—"}`}>
                  <code>{f.fromPolicy ?? "—"}</code> → <code>{f.toPolicy ?? "—"}</code>
                </td>
                <td>
                  <Link href={`/records/${f.recordId}?hop=${f.hopId}&replay=1&compare=${candidateId}`} aria-label={`Open record ${f.recordId} (${f.action}) with its replay`}>
                    #{f.recordId}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager">
        {next ? (
          <button type="button" onClick={more} disabled={state.busy}>
            {state.busy ? "Loading…" : "More"}
          </button>
        ) : (
          <span className="muted">All {rows.length} shown</span>
        )}
        {state.error ? (
          <span role="alert" className="error-text">
            {state.error}
          </span>
        ) : null}
      </div>
    </>
  );
}
