// The OPA sections of the detail page: what was asked (path/query, input), what OPA answered (result or
// error), which bundle revisions were loaded, and the operational fields (labels, metrics, masks, ND cache).
import type { OpaEventView } from "@/lib/explorer/opa-view";
import { isPresent } from "@/lib/explorer/json-access";
import { JsonBlock } from "../json-block";
import { Facts, Section } from "./section";

export function OpaEvent({ view }: { view: OpaEventView }) {
  const input = view.sections.find((s) => s.key === "input");
  const others = view.sections.filter((s) => s.key !== "input");
  return (
    <>
      <Section id="decision" title="OPA decision">
        <Facts
          items={[
            ["decision_id", view.decisionId ? <code>{view.decisionId}</code> : undefined],
            ["path", view.path ? <code>{view.path}</code> : undefined],
            ["query", view.query ? <code>{view.query}</code> : undefined],
            ["requested_by", view.requestedBy],
            ["req_id", view.reqId !== undefined ? String(view.reqId) : undefined],
            ["trace_id", view.traceId],
            ["span_id", view.spanId],
            ["batch_decision_id", view.batchDecisionId],
            ["erased", view.erased.length ? view.erased.join(", ") : undefined],
            ["masked", view.masked.length ? view.masked.join(", ") : undefined],
          ]}
        />
        {view.erased.length || view.masked.length ? (
          <p className="muted">Masked or erased fields were changed by the PDP's mask policy before logging; replay sees the logged values.</p>
        ) : null}
      </Section>
      <div className="grid-2">
        <Section id="input" title="Input">
          {input ? <JsonBlock value={input.value} label="OPA input" /> : <p className="muted">No input was given.</p>}
        </Section>
        <Section id="result" title="Result">
          {view.hasResult ? (
            <JsonBlock value={view.result ?? null} label="OPA result" />
          ) : (
            <p className="muted">No result: the decision was undefined or evaluation failed.</p>
          )}
        </Section>
      </div>
      {view.jwtClaims.length ? (
        <Section id="jwt" title="JWT claims in the input">
          <p className="muted">Decoded from the logged token, not verified (the PDP's keys are not known here).</p>
          {view.jwtClaims.map((j) => (
            <div key={j.pointer}>
              <h3>
                <code>{j.pointer}</code>
              </h3>
              <JsonBlock value={j.claims} label={`JWT claims at ${j.pointer}`} />
            </div>
          ))}
        </Section>
      ) : null}
      <Section id="bundles" title="Bundles and labels">
        <h3>Bundle revisions</h3>
        {view.bundleRevisions.length ? (
          <Facts items={view.bundleRevisions.map((b) => [b.bundle, <code key={b.bundle}>{b.revision || "(none)"}</code>])} />
        ) : (
          <p className="muted">No bundle revisions recorded.</p>
        )}
        <h3>Labels</h3>
        {isPresent(view.labels) ? <JsonBlock value={view.labels} label="labels" /> : <p className="muted">None.</p>}
      </Section>
      {others.map((s) => (
        <Section key={s.key} id={s.key} title={s.label} className={s.key === "error" ? "error-panel" : undefined}>
          <JsonBlock value={s.value} label={s.label} />
        </Section>
      ))}
    </>
  );
}
