// Side by side, per logged input: what the PDP logged and what each replay decided for every action
// (effect, deciding policy and rule), the derived roles, outputs and evaluation errors, then why.
import { EffectBadge } from "@/components/effect-badge";
import { JsonBlock } from "@/components/json-block";
import type { ActionReplay } from "@/lib/replay/replay-entry";
import { ExplanationView } from "./explanation-view";
import { effectWord, type InputJson, type ReplayJson, targetTitle } from "./replay-types";

function shortRule(rule: string | undefined): string | undefined {
  return rule?.includes("#") ? rule.slice(rule.indexOf("#") + 1) : rule;
}

function DecisionCell({ a }: { a: ActionReplay | undefined }) {
  if (!a) return <td className="muted">—</td>;
  const mismatch = !a.match;
  return (
    <td className={mismatch ? "replay-mismatch" : undefined}>
      <EffectBadge effect={effectWord(a.replayed.effect)} />
      {mismatch ? <span className="replay-flag"> ≠ logged</span> : null}
      <div className="replay-policy">
        <code>{a.replayed.policy}</code>
        {a.replayed.scope ? <span className="muted"> scope {a.replayed.scope}</span> : null}
        {a.replayed.rule ? (
          <>
            {" "}
            rule <code>{shortRule(a.replayed.rule)}</code>
          </>
        ) : null}
      </div>
    </td>
  );
}

function RolesCell({ roles }: { roles: string[] | undefined }) {
  if (!roles) return <td className="muted">—</td>;
  return <td>{roles.length ? roles.map((r) => <code key={r} className="replay-role">{r}</code>) : <span className="muted">none</span>}</td>;
}

function JsonCell({ value, label }: { value: unknown[] | undefined; label: string }) {
  if (!value) return <td className="muted">—</td>;
  return <td>{value.length ? <JsonBlock value={value} label={label} /> : <span className="muted">none</span>}</td>;
}

function InputComparison({ base, a, b, titles }: { base: InputJson; a?: InputJson; b?: InputJson; titles: [string, string] }) {
  const name = `Input ${base.inputIndex + 1}: ${base.resource.kind}:${base.resource.id}`;
  const cols = [a, b].filter((x): x is InputJson => !!x);
  const head = [a ? titles[0] : null, b ? titles[1] : null].filter((t): t is string => !!t);
  return (
    <section className="replay-input" aria-label={`Replay of ${name}`}>
      <h3>
        {name}{" "}
        <span className="muted">
          principal <code>{base.principal.id}</code> ({base.principal.roles.join(", ") || "no roles"})
        </span>
      </h3>
      <div className="table-wrap">
        <table className="data-table replay-table" aria-label={`Effects per action for ${name}`}>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Logged by the PDP</th>
              {head.map((t) => (
                <th key={t} scope="col">
                  Replayed: {t}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {base.actions.map((act) => (
              <tr key={act.action}>
                <th scope="row">{act.action}</th>
                <td>
                  {act.recorded ? (
                    <>
                      <EffectBadge effect={effectWord(act.recorded.effect)} />
                      <div className="replay-policy">
                        <code>{act.recorded.policy ?? "—"}</code>
                        {act.recorded.scope ? <span className="muted"> scope {act.recorded.scope}</span> : null}
                      </div>
                    </>
                  ) : (
                    <span className="muted">not logged</span>
                  )}
                </td>
                {cols.map((c, i) => (
                  <DecisionCell key={i} a={c.actions.find((x) => x.action === act.action)} />
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">derived roles</th>
              <RolesCell roles={base.recordedDerivedRoles} />
              {cols.map((c, i) => (
                <RolesCell key={i} roles={c.replayedDerivedRoles} />
              ))}
            </tr>
            <tr>
              <th scope="row">outputs</th>
              <JsonCell value={base.recordedOutputs} label={`logged outputs of input ${base.inputIndex + 1}`} />
              {cols.map((c, i) => (
                <JsonCell key={i} value={c.replayedOutputs} label={`replayed outputs of input ${base.inputIndex + 1} (${head[i]})`} />
              ))}
            </tr>
            <tr>
              <th scope="row">evaluation errors</th>
              <JsonCell value={base.recordedEvaluationErrors} label={`logged evaluation errors of input ${base.inputIndex + 1}`} />
              {cols.map((c, i) => (
                <JsonCell key={i} value={[...c.replayedEvaluationErrors, ...c.validationErrors]} label={`replayed errors of input ${base.inputIndex + 1} (${head[i]})`} />
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <div className={cols.length > 1 ? "grid-2" : undefined}>
        {cols.map((c, i) =>
          c.explanation ? (
            <details key={i} className="replay-why" open={cols.length === 1 || undefined}>
              <summary>Why ({head[i]}): rules consulted, condition values</summary>
              <ExplanationView explanation={c.explanation} />
            </details>
          ) : null,
        )}
      </div>
    </section>
  );
}

export function ReplayComparison({ inForce, other }: { inForce?: ReplayJson; other?: ReplayJson }) {
  const base = inForce ?? other;
  if (!base) return null;
  const titles: [string, string] = [inForce ? `in force, ${targetTitle(inForce)}` : "", other ? targetTitle(other) : ""];
  return (
    <div className="replay-results">
      {base.inputs.map((input) => (
        <InputComparison
          key={input.inputIndex}
          base={input}
          a={inForce?.inputs.find((x) => x.inputIndex === input.inputIndex)}
          b={other?.inputs.find((x) => x.inputIndex === input.inputIndex)}
          titles={titles}
        />
      ))}
    </div>
  );
}
