// The Cerbos sections of the detail page: one block per CheckInput (principal, resource, per-action
// effects, derived roles, outputs, errors, JWT claims), or the PlanResources input/output, then the
// request-wide parts (request context, metadata, peer, policy source, audit trail).
import type { CerbosEntryView, CerbosInputView } from "@/lib/explorer/cerbos-view";
import { isPresent } from "@/lib/explorer/json-access";
import type { JsonObject, JsonValue } from "@/lib/formats/types";
import { EffectBadge } from "../effect-badge";
import { JsonBlock } from "../json-block";
import { Facts, Section } from "./section";

export interface HopHighlight {
  inputIndex: number;
  action: string;
}

const str = (v: JsonValue | undefined) => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: JsonValue | undefined) => (Array.isArray(v) && v.length ? v.join(", ") : undefined);

function PartyFacts({ party, kind }: { party: JsonObject | undefined; kind: "principal" | "resource" }) {
  if (!party) return <p className="muted">Not recorded.</p>;
  const items: [string, string | undefined][] =
    kind === "principal"
      ? [
          ["id", str(party.id)],
          ["roles", list(party.roles)],
          ["policyVersion", str(party.policyVersion)],
          ["scope", str(party.scope)],
        ]
      : [
          ["kind", str(party.kind)],
          ["id", str(party.id)],
          ["policyVersion", str(party.policyVersion) ?? "(default)"],
          ["scope", str(party.scope) ?? "(root)"],
        ];
  return (
    <>
      <Facts items={items} />
      <h4 className="muted">attr</h4>
      {isPresent(party.attr) ? <JsonBlock value={party.attr} label={`${kind} attributes`} /> : <p className="muted">No attributes.</p>}
    </>
  );
}

function InputBlock({ input, highlight }: { input: CerbosInputView; highlight?: HopHighlight }) {
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
          <PartyFacts party={input.principal} kind="principal" />
        </div>
        <div>
          <h3>Resource</h3>
          <PartyFacts party={input.resource} kind="resource" />
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
          <JsonBlock value={input.outputs} label={`outputs of input ${input.index + 1}`} />
        </>
      ) : null}
      {input.evaluationErrors.length ? (
        <>
          <h3>Evaluation errors</h3>
          <JsonBlock value={input.evaluationErrors} label={`evaluation errors of input ${input.index + 1}`} />
        </>
      ) : null}
      {input.validationErrors.length ? (
        <>
          <h3>Validation errors</h3>
          <JsonBlock value={input.validationErrors} label={`validation errors of input ${input.index + 1}`} />
        </>
      ) : null}
      {isPresent(input.auxData) ? (
        <>
          <h3>auxData (verified JWT claims)</h3>
          <JsonBlock value={input.auxData} label={`auxData of input ${input.index + 1}`} />
        </>
      ) : null}
    </Section>
  );
}

function PlanBlock({ plan }: { plan: NonNullable<CerbosEntryView["plan"]> }) {
  const out = plan.output;
  const filter = out?.filter && typeof out.filter === "object" && !Array.isArray(out.filter) ? out.filter : undefined;
  return (
    <Section id="plan" title="PlanResources">
      <div className="grid-2">
        <div>
          <h3>Input</h3>
          <JsonBlock value={plan.input ?? null} label="plan input" />
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
          <JsonBlock value={out ?? null} label="plan output" />
        </div>
      </div>
    </Section>
  );
}

export function CerbosEntry({ view, highlight }: { view: CerbosEntryView; highlight?: HopHighlight }) {
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
        <InputBlock key={input.index} input={input} highlight={highlight} />
      ))}
      {view.plan ? <PlanBlock plan={view.plan} /> : null}
      <Section id="request" title="Request context and metadata">
        <div className="grid-2">
          <div>
            <h3>Request context annotations</h3>
            {isPresent(annotations) ? <JsonBlock value={annotations} label="request context annotations" /> : <p className="muted">None.</p>}
          </div>
          <div>
            <h3>Metadata (headers)</h3>
            {isPresent(view.metadata) ? <JsonBlock value={view.metadata} label="metadata" /> : <p className="muted">None captured (Cerbos records metadata only when include/excludeMetadataKeys is set).</p>}
          </div>
        </div>
        <h3>Peer</h3>
        {peer ? (
          <Facts
            items={[
              ["address", str(peer.address)],
              ["user agent", str(peer.userAgent)],
              ["forwarded for", str(peer.forwardedFor)],
              ["auth info", str(peer.authInfo)],
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
            {isPresent(view.policySource) ? <JsonBlock value={view.policySource} label="policy source" /> : <p className="muted">Not recorded (Cerbos before 0.46).</p>}
          </div>
          <div>
            <h3>Audit trail (effective policies)</h3>
            {isPresent(view.auditTrail) ? <JsonBlock value={view.auditTrail} label="audit trail" /> : <p className="muted">Empty: no policy rule was consulted.</p>}
          </div>
        </div>
      </Section>
    </>
  );
}
