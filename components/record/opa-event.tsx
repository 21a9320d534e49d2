// The OPA sections of the detail page: what was asked (path/query, input), what OPA answered (result or
// error), which bundle revisions were loaded, and the operational fields (labels, metrics, masks, ND cache).
// With `masking`, the view was read from the masked event and `jwtClaims` were decoded from the stored
// tokens and masked as auxData.jwt claims (the tokens themselves are masked credentials).
import type { OpaEventView } from "@/lib/explorer/opa-view";
import { isPresent } from "@/lib/explorer/json-access";
import type { JsonObject } from "@/lib/formats/types";
import { JsonBlock } from "../json-block";
import { MaskedJson } from "../masking/masked-json";
import { factValue, type RecordMasking, RecordJson } from "../masking/record-json";
import { Facts, Section } from "./section";

export interface MaskedJwtClaims {
  pointer: string;
  claims: JsonObject;
  masked: { pointer: string; label: string }[];
}

export function OpaEvent({ view, masking, jwtClaims }: { view: OpaEventView; masking?: RecordMasking; jwtClaims?: MaskedJwtClaims[] }) {
  const fact = (value: string | undefined, key: string) => factValue(value, masking ? `/${key}` : undefined, masking, `the ${key}`);
  const claims: MaskedJwtClaims[] = jwtClaims ?? view.jwtClaims.map((j) => ({ ...j, masked: [] }));
  const input = view.sections.find((s) => s.key === "input");
  const others = view.sections.filter((s) => s.key !== "input");
  return (
    <>
      <Section id="decision" title="OPA decision">
        <Facts
          items={[
            ["decision_id", view.decisionId ? <code>{fact(view.decisionId, "decision_id")}</code> : undefined],
            ["path", view.path ? <code>{view.path}</code> : undefined],
            ["query", view.query ? <code>{view.query}</code> : undefined],
            ["requested_by", fact(view.requestedBy, "requested_by")],
            ["req_id", view.reqId !== undefined ? String(view.reqId) : undefined],
            ["trace_id", fact(view.traceId, "trace_id")],
            ["span_id", fact(view.spanId, "span_id")],
            ["batch_decision_id", fact(view.batchDecisionId, "batch_decision_id")],
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
          {input ? <RecordJson value={input.value} label="OPA input" masking={masking} pointer={masking ? "/input" : undefined} /> : <p className="muted">No input was given.</p>}
        </Section>
        <Section id="result" title="Result">
          {view.hasResult ? (
            <RecordJson value={view.result ?? null} label="OPA result" masking={masking} pointer={masking ? "/result" : undefined} />
          ) : (
            <p className="muted">No result: the decision was undefined or evaluation failed.</p>
          )}
        </Section>
      </div>
      {claims.length ? (
        <Section id="jwt" title="JWT claims in the input">
          <p className="muted">Decoded from the logged token, not verified (the PDP's keys are not known here).</p>
          {claims.map((j) => (
            <div key={j.pointer}>
              <h3>
                <code>{j.pointer}</code>
              </h3>
              {masking && j.masked.length ? (
                <MaskedJson
                  value={j.claims}
                  masked={j.masked}
                  target={{ recordId: masking.recordId, source: "jwt", tokenPath: j.pointer, basePointer: "" }}
                  label={`JWT claims at ${j.pointer}`}
                  canReveal={masking.canReveal}
                />
              ) : (
                <JsonBlock value={j.claims} label={`JWT claims at ${j.pointer}`} />
              )}
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
        {isPresent(view.labels) ? <RecordJson value={view.labels} label="labels" masking={masking} pointer={masking ? "/labels" : undefined} /> : <p className="muted">None.</p>}
      </Section>
      {others.map((s) => (
        <Section key={s.key} id={s.key} title={s.label} className={s.key === "error" ? "error-panel" : undefined}>
          <RecordJson value={s.value} label={s.label} masking={masking} pointer={masking ? `/${s.key}` : undefined} />
        </Section>
      ))}
    </>
  );
}
