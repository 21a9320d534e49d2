// Why the engine decided as it did: per action the rules consulted in order with their outcome and the
// value (or error) of each condition, then the derived roles and variables evaluated.
import type { Explanation } from "@/lib/engine/cerbos/api-types";
import { effectWord } from "./replay-types";

const OUTCOME_CLASS: Record<string, string> = {
  activated: "effect effect-allow",
  notMet: "effect",
  error: "effect effect-error",
  skipped: "effect",
};

function valueText(v: unknown): string {
  return v === undefined ? "" : JSON.stringify(v);
}

export function ExplanationView({ explanation }: { explanation: Explanation }) {
  return (
    <div className="explanation">
      {Object.entries(explanation.actions).map(([action, ex]) => (
        <div key={action} className="explanation-action">
          <h4>
            {action} → {effectWord(ex.effect)} <span className="muted">by</span> <code>{ex.rule ?? ex.policy}</code>
            {ex.scope ? <span className="muted"> (scope {ex.scope})</span> : null}
          </h4>
          {ex.rules.length === 0 ? (
            <p className="muted">No rule matched this action and role: the default is deny.</p>
          ) : (
            <ol className="rule-trace">
              {ex.rules.map((r, i) => (
                <li key={i}>
                  <span className={OUTCOME_CLASS[r.outcome] ?? "effect"}>{r.outcome}</span> <code>{r.rule}</code>{" "}
                  <span className="muted">
                    {r.effect ? effectWord(r.effect) : ""} for {r.derivedRole ? `derived role ${r.derivedRole}` : `role ${r.role}`}
                    {r.cached ? " (cached)" : ""}
                  </span>
                  {r.conditions.length ? (
                    <ul className="condition-trace">
                      {r.conditions.map((c, j) => (
                        <li key={j}>
                          <code className="tok-cel">{c.expression}</code>{" "}
                          {c.error ? <span className="error-text">error: {c.error}</span> : <span>= <code>{valueText(c.value)}</code></span>}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </div>
      ))}
      {explanation.derivedRoles.length ? (
        <>
          <h4>Derived roles evaluated</h4>
          <ul className="condition-trace">
            {explanation.derivedRoles.map((d, i) => (
              <li key={i}>
                <code>{d.name}</code> {d.scope ? <span className="muted">(scope {d.scope})</span> : null}{" "}
                {d.error ? <span className="error-text">error: {d.error}</span> : d.active ? <span className="effect effect-allow">active</span> : <span className="effect">inactive</span>}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {explanation.variables.length ? (
        <>
          <h4>Variables</h4>
          <ul className="condition-trace">
            {explanation.variables.map((v, i) => (
              <li key={i}>
                <code>{v.name}</code> = <code className="tok-cel">{v.expression}</code>{" "}
                {v.error ? <span className="error-text">error: {v.error}</span> : <span>→ <code>{valueText(v.value)}</code></span>}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
