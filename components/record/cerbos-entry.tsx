// The Cerbos sections of the detail page: one block per CheckInput (principal, resource, per-action
// effects, derived roles, outputs, errors, JWT claims), or the PlanResources input/output, then the
// request-wide parts (request context, metadata, peer, policy source, audit trail).
// With `masking`, the view was read from the masked entry: sensitive values show as markers with a
// Reveal control (components/masking).
import type { CerbosEntryView, CerbosInputView } from "@/lib/explorer/cerbos-view";
import { isPresent } from "@/lib/explorer/json-access";
import type { JsonObject, JsonValue } from "@/lib/formats/types";
import { isMaskMarker, valueAtPointer } from "@/lib/masking/mask";
import type { ReactNode } from "react";
import { EffectBadge } from "../effect-badge";
import { childPointer, factValue, type RecordMasking, RecordJson } from "../masking/record-json";
import { Facts, Section } from "./section";

export interface HopHighlight {
  inputIndex: number;
  action: string;
}

const str = (v: JsonValue | undefined) => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: JsonValue | undefined) => (Array.isArray(v) && v.length ? v.join(", ") : undefined);

function PartyFacts({ party, kind, masking, pointer }: { party: JsonValue | undefined; kind: "principal" | "resource"; masking?: RecordMasking; pointer?: string }) {
  if (isMaskMarker(party)) return <div>{factValue(party, pointer, masking, `the ${kind}`)}</div>;
  if (!party || typeof party !== "object" || Array.isArray(party)) return <p className="muted">Not recorded.</p>;
  const fact = (key: string) => factValue(str(party[key]), childPointer(masking, party, key), masking, `the ${kind} ${key}`);
  const items: [string, ReactNode][] =
    kind === "principal"
      ? [
          ["id", fact("id")],
          ["roles", list(party.roles)],
          ["policyVersion", fact("policyVersion")],
          ["scope", fact("scope")],
        ]
      : [
          ["kind", fact("kind")],
          ["id", fact("id")],
          ["policyVersion", fact("policyVersion") ?? "(default)"],
          ["scope", fact("scope") ?? "(root)"],
        ];
  return (
    <>
      <Facts items={items} />
      <h4 className="muted">attr</h4>
      {isPresent(party.attr) ? (
        <RecordJson value={party.attr} label={`${kind} attributes`} masking={masking} pointer={childPointer(masking, party, "attr")} />
      ) : (
        <p className="muted">No attributes.</p>
      )}
    </>
  );
}

function InputBlock({ input, highlight, masking, pointer, raw }: { input: CerbosInputView; highlight?: HopHighlight; masking?: RecordMasking; pointer?: string; raw?: JsonObject }) {
  const isHighlighted = highlight?.inputIndex === input.index;
  const title = `Input ${input.index + 1}: ${str(input.resource?.kind) ?? "?"}${str(input.resource?.id) ? `:${str(input.resource?.id)}` : ""}`;
  return (
    <Section id={`input-${input.index}`} title={title} className={`input-section${isHighlighted ? " highlight" : ""}`}>
      {input.requestId ? (
        <p className="muted">
          requestId <code>{input.requestId}</code>
        </p>
      ) : null}
      <div className="grid-2">
        <div>
          <h3>Principal</h3>
          <PartyFacts party={input.principal ?? raw?.principal} kind="principal" masking={masking} pointer={pointer && `${pointer}/principal`} />
        </div>
        <div>
          <h3>Resource</h3>
          <PartyFacts party={input.resource ?? raw?.resource} kind="resource" masking={masking} pointer={pointer && `${pointer}/resource`} />
        </div>
      </div>
      <h3>Effects per action</h3>
      <table className="data-table" aria-label={`Effects for input ${input.index + 1}`}>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Effect</th>
            <th scope="col">Deciding policy</th>
            <th scope="col">Scope</th>
          </tr>
        </thead>
        <tbody>
          {input.effects.map((e) => (
            <tr key={e.action} className={isHighlighted && highlight?.action === e.action ? "highlight" : undefined} aria-current={isHighlighted && highlight?.action === e.action ? "true" : undefined}>
              <td>{e.action}</td>
              <td>
                <EffectBadge effect={e.effect} />
              </td>
              <td className="mono">{e.policy ?? "—"}</td>
              <td className="mono">{e.scope ?? "(root)"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {input.effects.length === 0 ? <p className="muted">No output was recorded for this input.</p> : null}
      <h3>Derived roles</h3>
      <p>{input.derivedRoles.length ? input.derivedRoles.join(", ") : <span className="muted">none active</span>}</p>
      {input.outputs.length ? (
        <>
          <h3>Outputs</h3>
          <RecordJson value={input.outputs} label={`outputs of input ${input.index + 1}`} masking={masking} />
        </>
      ) : null}
      {input.evaluationErrors.length ? (
        <>
          <h3>Evaluation errors</h3>
          <RecordJson value={input.evaluationErrors} label={`evaluation errors of input ${input.index + 1}`} masking={masking} />
        </>
      ) : null}
      {input.validationErrors.length ? (
        <>
          <h3>Validation errors</h3>
          <RecordJson value={input.validationErrors} label={`validation errors of input ${input.index + 1}`} masking={masking} />
        </>
      ) : null}
      {isPresent(input.auxData) ? (
        <>
          <h3>auxData (verified JWT claims)</h3>
          <RecordJson value={input.auxData} label={`auxData of input ${input.index + 1}`} masking={masking} pointer={pointer === undefined ? undefined : `${pointer}/auxData`} />
        </>
      ) : null}
    </Section>
  );
}

function PlanBlock({ plan, masking }: { plan: NonNullable<CerbosEntryView["plan"]>; masking?: RecordMasking }) {
  const out = plan.output;
  const filter = out?.filter && typeof out.filter === "object" && !Array.isArray(out.filter) ? out.filter : undefined;
  return (
    <Section id="plan" title="PlanResources">
      <div className="grid-2">
        <div>
          <h3>Input</h3>
          <RecordJson value={plan.input ?? null} label="plan input" masking={masking} />
        </div>
        <div>
          <h3>Output</h3>
          <Facts
            items={[
              ["filter kind", str(filter?.kind)],
              ["filterDebug", str(out?.filterDebug) ? <code>{str(out?.filterDebug)}</code> : undefined],
              ["policyVersion", str(out?.policyVersion)],
              ["scope", str(out?.scope)],
            ]}
          />
          <RecordJson value={out ?? null} label="plan output" masking={masking} />
        </div>
      </div>
    </Section>
  );
}

/** Where CheckInput i sits in the entry: under checkResources, or at the top level before Cerbos 0.18. */
function inputPointer(entry: JsonObject | undefined, index: number): string | undefined {
  if (!entry) return undefined;
  return entry.checkResources && typeof entry.checkResources === "object" ? `/checkResources/inputs/${index}` : `/inputs/${index}`;
}

/** The input object itself, so a principal or resource masked whole still shows as masked, not as missing. */
function rawInput(entry: JsonObject | undefined, index: number): JsonObject | undefined {
  const p = inputPointer(entry, index);
  const v = p ? valueAtPointer(entry, p) : undefined;
  return v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

export function CerbosEntry({ view, highlight, masking, entry }: { view: CerbosEntryView; highlight?: HopHighlight; masking?: RecordMasking; entry?: JsonObject }) {
  const top = (key: string) => (masking ? `/${key}` : undefined);
  const peer = view.peer && typeof view.peer === "object" && !Array.isArray(view.peer) ? view.peer : undefined;
  const context = view.requestContext && typeof view.requestContext === "object" && !Array.isArray(view.requestContext) ? view.requestContext : undefined;
  // Annotations are the whole of requestContext today; show anything else Cerbos may add as it is.
  const annotations = context && Object.keys(context).length === 1 && "annotations" in context ? context.annotations : view.requestContext;
  return (
    <>
      {view.oversized ? (
        <div className="panel warning" role="note">
          Cerbos marked this entry <strong>oversized</strong>: principal and resource attributes were stripped before it was logged.
        </div>
      ) : null}
      {view.method === "access" ? (
        <Section id="access-call" title="Access entry">
          <Facts
            items={[
              ["method", view.accessMethod],
              ["status code", view.statusCode === 0 ? "0 (OK)" : String(view.statusCode)],
            ]}
          />
        </Section>
      ) : null}
      {view.error ? (
        <Section id="error" title="Error" className="error-panel">
          <pre>{view.error}</pre>
        </Section>
      ) : null}
      {view.inputs.map((input) => (
        <InputBlock key={input.index} input={input} highlight={highlight} masking={masking} pointer={inputPointer(entry, input.index)} raw={rawInput(entry, input.index)} />
      ))}
      {view.plan ? <PlanBlock plan={view.plan} masking={masking} /> : null}
      <Section id="request" title="Request context and metadata">
        <div className="grid-2">
          <div>
            <h3>Request context annotations</h3>
            {isPresent(annotations) ? <RecordJson value={annotations} label="request context annotations" masking={masking} /> : <p className="muted">None.</p>}
          </div>
          <div>
            <h3>Metadata (headers)</h3>
            {isPresent(view.metadata) ? (
              <RecordJson value={view.metadata} label="metadata" masking={masking} pointer={top("metadata")} />
            ) : (
              <p className="muted">None captured (Cerbos records metadata only when include/excludeMetadataKeys is set).</p>
            )}
          </div>
        </div>
        <h3>Peer</h3>
        {isMaskMarker(view.peer) ? (
          <div>{factValue(view.peer, top("peer"), masking, "the peer")}</div>
        ) : peer ? (
          <Facts
            items={[
              ["address", factValue(str(peer.address), top("peer/address"), masking, "the peer address")],
              ["user agent", factValue(str(peer.userAgent), top("peer/userAgent"), masking, "the peer user agent")],
              ["forwarded for", factValue(str(peer.forwardedFor), top("peer/forwardedFor"), masking, "the forwarded-for address")],
              ["auth info", factValue(str(peer.authInfo), top("peer/authInfo"), masking, "the peer auth info")],
            ]}
          />
        ) : (
          <p className="muted">Not recorded.</p>
        )}
      </Section>
      <Section id="policies" title="Policy source and audit trail">
        <div className="grid-2">
          <div>
            <h3>Policy source</h3>
            {isPresent(view.policySource) ? <RecordJson value={view.policySource} label="policy source" masking={masking} pointer={top("policySource")} /> : <p className="muted">Not recorded (Cerbos before 0.46).</p>}
          </div>
          <div>
            <h3>Audit trail (effective policies)</h3>
            {isPresent(view.auditTrail) ? <RecordJson value={view.auditTrail} label="audit trail" masking={masking} pointer={top("auditTrail")} /> : <p className="muted">Empty: no policy rule was consulted.</p>}
          </div>
        </div>
      </Section>
    </>
  );
}
