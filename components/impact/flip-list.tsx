"use client";
// The flipped decisions of a run, oldest hop first, 50 at a time ("More" continues from the last hop).
// Each opens the record with its replay panel, comparing against the candidate version. Rows arrive
// masked (server page and flips route, lib/masking/aggregate-views maskFlipRows); each row is one hop,
// so a masked cell offers Reveal through the hop document, like the explorer's.
import Link from "next/link";
import { type ReactNode, useState } from "react";
import { EffectBadge } from "@/components/effect-badge";
import { MaskMarker } from "@/components/masking/mask-marker";
import { MaskedValue } from "@/components/masking/masked-value";
import { formatUtc } from "@/lib/explorer/format";
import { isMaskMarker } from "@/lib/masking/mask";
import type { MaskedCell } from "@/lib/masking/hop-document";
import type { FlipRow } from "@/lib/replay/impact-report";
import type { FlipQueryParams } from "./flip-query";

type CellMasks = Record<string, Record<string, MaskedCell>>;

interface Props {
  runId: string;
  candidateId: string;
  query: FlipQueryParams;
  initial: FlipRow[];
  /** hop id → field → masked cell that reveals through the hop document. */
  initialMasked: CellMasks;
  initialNext: string | null;
  canReveal: boolean;
}

const dash = <span className="muted">—</span>;

export function FlipList({ runId, candidateId, query, initial, initialMasked, initialNext, canReveal }: Props) {
  const [rows, setRows] = useState(initial);
  const [masked, setMasked] = useState(initialMasked);
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
      const body = (await res.json()) as { flips?: FlipRow[]; masked?: CellMasks; next?: string | null; error?: string };
      if (!res.ok || !body.flips) throw new Error(body.error ?? `the server answered ${res.status}`);
      setRows((r) => [...r, ...body.flips!]);
      setMasked((m) => ({ ...m, ...body.masked }));
      setNext(body.next ?? null);
      setState({ busy: false });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  }

  const cell = (f: FlipRow, field: keyof FlipRow, what: string): ReactNode => {
    const v = f[field];
    if (v === null || v === "") return dash;
    const m = masked[f.hopId]?.[field];
    if (m) return <MaskedValue marker={v} target={{ recordId: f.recordId, source: "hop", hopId: f.hopId, path: m.pointer }} canReveal={canReveal} what={what} />;
    // The candidate's policy is masked by the same rule but is not in the hop: marker only.
    return isMaskMarker(v) ? <MaskMarker marker={v} /> : v;
  };

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
                <td>{cell(f, "action", "the action")}</td>
                <td>
                  <EffectBadge effect={f.fromEffect} />
                </td>
                <td>
                  <EffectBadge effect={f.toEffect} />
                </td>
                <td>{cell(f, "principalId", "the principal")}</td>
                <td>{cell(f, "actingAgent", "the acting agent")}</td>
                <td className="cell-clip" title={`${f.resourceKind ?? ""}:${f.resourceId ?? ""}`}>
                  {f.resourceKind === null ? null : cell(f, "resourceKind", "the resource kind")}:{f.resourceId === null ? null : cell(f, "resourceId", "the resource id")}
                </td>
                <td className="cell-clip" title={`${f.fromPolicy ?? "—"} → ${f.toPolicy ?? "—"}`}>
                  <code>{f.fromPolicy === null ? "—" : cell(f, "fromPolicy", "the logged policy")}</code> → <code>{f.toPolicy === null ? "—" : cell(f, "toPolicy", "the candidate policy")}</code>
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
