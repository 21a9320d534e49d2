// The hops Hindsight derived from this record (one per input × action), as the explorer indexes them:
// the normalized effect, acting agent and policy revision, whatever the engine's own shape. Cells the
// masking rules cover (e.g. a principal id that is an e-mail address) show a marker with Reveal.
import type { ReactNode } from "react";
import type { RecordHop } from "@/lib/explorer/record-detail";
import type { MaskedCell } from "@/lib/masking/hop-document";
import { EffectBadge } from "../effect-badge";
import { MaskedValue } from "../masking/masked-value";
import { Section } from "./section";

export interface HopMasking {
  recordId: string;
  /** hop id → field → what masked it. */
  cells: Record<string, Record<string, MaskedCell>>;
  canReveal: boolean;
}

export function HopsTable({ hops, selectedHopId, masking }: { hops: RecordHop[]; selectedHopId?: string; masking?: HopMasking }) {
  if (hops.length === 0) return null;
  const cell = (h: RecordHop, field: "principalId" | "actingAgent" | "resourceId" | "action", value: string | null, what: string): ReactNode => {
    const m = masking?.cells[h.id]?.[field];
    if (!m || value === null) return value;
    return <MaskedValue marker={value} target={{ recordId: masking!.recordId, source: "hop", hopId: h.id, path: m.pointer }} canReveal={masking!.canReveal} what={what} />;
  };
  return (
    <Section id="hops" title={`Indexed decisions (${hops.length})`}>
      <div className="table-wrap">
        <table className="data-table" aria-label="Indexed decisions of this record">
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col">Action</th>
              <th scope="col">Effect</th>
              <th scope="col">Principal</th>
              <th scope="col">Acting agent</th>
              <th scope="col">Resource</th>
              <th scope="col">Deciding policy</th>
              <th scope="col">Policy version</th>
              <th scope="col">Policy source</th>
            </tr>
          </thead>
          <tbody>
            {hops.map((h) => (
              <tr key={h.id} className={h.id === selectedHopId ? "highlight" : undefined} aria-current={h.id === selectedHopId ? "true" : undefined}>
                <td>{h.inputIndex + 1}</td>
                <td>{cell(h, "action", h.action, "the action")}</td>
                <td>
                  <EffectBadge effect={h.effect} />
                </td>
                <td>{cell(h, "principalId", h.principalId, "the principal id") ?? "—"}</td>
                <td>{cell(h, "actingAgent", h.actingAgent, "the acting agent") ?? "—"}</td>
                <td>
                  {h.resourceKind || h.resourceId ? (
                    <>
                      {h.resourceKind ?? "?"}
                      {h.resourceId ? <>:{cell(h, "resourceId", h.resourceId, "the resource id")}</> : null}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="mono">{h.policy ?? "—"}</td>
                <td>{h.policyVersion ?? "—"}</td>
                <td className="mono">{h.policySourceRef ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
