// The hops Hindsight derived from this record (one per input × action), as the explorer indexes them:
// the normalized effect, acting agent and policy revision, whatever the engine's own shape.
import type { RecordHop } from "@/lib/explorer/record-detail";
import { EffectBadge } from "../effect-badge";
import { Section } from "./section";

export function HopsTable({ hops, selectedHopId }: { hops: RecordHop[]; selectedHopId?: string }) {
  if (hops.length === 0) return null;
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
                <td>{h.action}</td>
                <td>
                  <EffectBadge effect={h.effect} />
                </td>
                <td>{h.principalId ?? "—"}</td>
                <td>{h.actingAgent ?? "—"}</td>
                <td>{[h.resourceKind, h.resourceId].filter(Boolean).join(":") || "—"}</td>
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
