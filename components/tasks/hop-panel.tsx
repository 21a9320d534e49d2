"use client";
// One hop's decision in full: who acted for whom (human → agent → sub-agent), what they were delegated,
// the token's claims as recorded (no raw token is ever stored), txn/trace, the policy and effect, and
// links to the stored record and to replay. Values the masking rules cover arrive masked from the
// server (lib/masking/task-view.ts) and show a Reveal control that asks for a reason.
import Link from "next/link";
import type { ReactNode } from "react";
import { MaskedValue } from "@/components/masking/masked-value";
import { isMaskMarker } from "@/lib/masking/mask";
import type { FieldMask } from "@/lib/masking/task-view";
import { EffectBadge } from "@/components/effect-badge";
import { Facts } from "@/components/record/section";
import { UtcTime } from "@/components/utc-time";
import type { TimelineHop } from "@/lib/views/swimlanes";
import { FlagBadge } from "./flag-badges";

interface Props {
  hop: TimelineHop;
  /** The hops its flags point at (parent hops), to show what the parent held and jump there. */
  byId: Map<string, TimelineHop>;
  nowMs: number;
  onSelect: (hopId: string) => void;
  /** Panel field → reveal target for the fields that are masked. */
  masked?: Record<string, FieldMask>;
  canReveal?: boolean;
}

const none = <span className="muted">—</span>;
const list = (v: string[] | null | undefined) => (v && v.length ? v.join(", ") : none);

export function HopPanel({ hop, byId, nowMs, onSelect, masked, canReveal = false }: Props) {
  // A masked value with its Reveal control (when this hop's own document holds it), else as given.
  const mv = (field: string, value: string | null | undefined, what: string): ReactNode => {
    if (value === null || value === undefined) return none;
    if (!isMaskMarker(value)) return value;
    const m = masked?.[field];
    if (!m) return <span className="mask-marker">{value}</span>;
    return <MaskedValue marker={value} target={{ recordId: hop.recordId, source: "hop", hopId: hop.hopId, path: m.pointer }} canReveal={canReveal} what={what} />;
  };
  // Scopes this hop held that a flagged parent did not: the widening, shown in the scope list.
  const parentScopes = new Set<string>();
  let parentKnown = false;
  for (const f of hop.flags) {
    if (f.code !== "scope_widened") continue;
    for (const id of f.relatedHopIds) {
      const p = byId.get(id);
      if (p) {
        parentKnown = true;
        for (const s of p.delegatedScopes) parentScopes.add(s);
      }
    }
  }
  const t = hop.token;
  return (
    <section className="panel hop-panel" aria-labelledby="hop-panel-title" id="hop-panel" data-testid="hop-panel">
      <h2 id="hop-panel-title">
        Hop {hop.hopId}: {hop.action} <span className="mono">{hop.resource}</span> <EffectBadge effect={hop.effect} />
      </h2>
      <ol className="actor-chain" aria-label="Actor chain">
        {hop.chain.map((m, i) => (
          <li key={`${m.id}-${i}`} className={`actor actor-${m.kind}`}>
            <span className="actor-id">{mv(`chain.${i}`, m.id, `the ${m.kind} id`)}</span> <span className="muted">({m.kind})</span>
          </li>
        ))}
        <li className="actor actor-target">
          <span className="actor-id">{hop.target.tool ?? hop.resource}</span> <span className="muted">({hop.action})</span>
        </li>
      </ol>
      {hop.flags.length ? (
        <div className="panel warning hop-flags" role="note" aria-label="Flags on this hop">
          {hop.flags.map((f, i) => (
            <p key={`${f.code}-${i}`}>
              <FlagBadge code={f.code} reason={f.reason} /> {f.reason}
              {f.relatedHopIds.map((id) => (
                <button key={id} type="button" className="link-button" onClick={() => onSelect(id)}>
                  go to hop {id}
                </button>
              ))}
            </p>
          ))}
        </div>
      ) : null}
      <Facts
        items={[
          ["decided at", <UtcTime key="t" iso={hop.decidedAt} nowMs={nowMs} />],
          ["engine / PDP", `${hop.engine} · ${hop.pdpInstance || "(unnamed)"}`],
          [
            "delegated scopes",
            hop.delegatedScopes.length ? (
              <span key="s" className="scope-list">
                {hop.delegatedScopes.map((s) => {
                  const widened = parentKnown && !parentScopes.has(s);
                  return (
                    <span key={s} className={widened ? "scope scope-widened" : "scope"} title={widened ? "not held by the parent hop" : undefined}>
                      {s}
                      {widened ? " ⚠" : ""}
                    </span>
                  );
                })}
              </span>
            ) : (
              none
            ),
          ],
          ["audience", list(hop.audience)],
          ["chain completeness", hop.chainCompleteness],
          ["presenter", mv("presenter", hop.presenter, "the presenter")],
          ["PDP principal", mv("principal", hop.principal, "the PDP principal")],
          [
            "may_act",
            hop.mayAct?.length ? (
              <span key="ma">
                {hop.mayAct.map((a, i) => (
                  <span key={i}>
                    {i ? ", " : ""}
                    {mv(`mayAct.${i}`, a, "the may_act entry")}
                  </span>
                ))}
              </span>
            ) : (
              none
            ),
          ],
          [
            "token claims",
            t ? (
              <span key="tok" className="mono">
                iss {t.iss ? mv("token.iss", t.iss, "the token issuer") : "—"} · aud {t.aud.join(", ") || "—"}
                {t.typ ? ` · typ ${t.typ}` : ""}
                {t.jti ? <> · jti {mv("token.jti", t.jti, "the token id")}</> : ""}
                {t.iat ? ` · iat ${t.iat}` : ""}
                {t.exp ? ` · exp ${t.exp}` : ""}
                {t.sha256 ? ` · token sha256 ${t.sha256.slice(0, 16)}…` : ""} · signature {t.sigVerified === "unknown" ? "not verified" : t.sigVerified}
              </span>
            ) : (
              none
            ),
          ],
          ["txn", hop.txn ? <span key="x" className="mono">{mv("txn", hop.txn.txn, "the transaction token id")}{hop.txn.reqWl.length ? ` · req_wl ${hop.txn.reqWl.join(" → ")}` : ""}{hop.txn.purpose ? ` · ${hop.txn.purpose}` : ""}</span> : none],
          [
            "trace",
            hop.trace.traceId ? (
              <span key="tr" className="mono">
                {hop.trace.traceId}
                {hop.trace.spanId ? ` / span ${hop.trace.spanId}` : ""}
                {hop.trace.parentSpanId ? ` ← ${hop.trace.parentSpanId}` : ""}
              </span>
            ) : (
              none
            ),
          ],
          [
            "target",
            hop.target.mcpServer || hop.target.mcpMethod || hop.target.uri ? (
              <span key="tg">
                {[hop.target.mcpServer, hop.target.mcpMethod].filter(Boolean).join(" · ")}
                {hop.target.uri ? (
                  <>
                    {hop.target.mcpServer || hop.target.mcpMethod ? " · " : ""}
                    {mv("target.uri", hop.target.uri, "the target URI")}
                  </>
                ) : null}
              </span>
            ) : (
              hop.resource
            ),
          ],
          ["policy", hop.policy ? <code key="p">{hop.policy}</code> : none],
          ["policy source", hop.policySourceRef ? <code key="ps">{hop.policySourceRef}</code> : none],
          ["effect", <EffectBadge key="e" effect={hop.effect} />],
          ["correlation", hop.inferred ? <span key="i" className="inferred-badge">inferred</span> : "explicit evidence"],
        ]}
      />
      <p className="hop-actions">
        <Link href={`/records/${hop.recordId}?hop=${hop.hopId}`} className="button">
          Open record #{hop.recordId}
        </Link>{" "}
        <Link href={`/records/${hop.recordId}?replay=1&hop=${hop.hopId}`} className="button" title="Replay against another policy version (opens the record page until replay ships)">
          Replay
        </Link>
      </p>
    </section>
  );
}
