// OPA replays side by side: the decision path's result as the PDP logged it, as the version in force
// returns it, and as the compared version returns it; allow/deny mapped from each result.
import type { ReplayJson } from "./replay-types";
import { targetTitle } from "./replay-types";

function ResultCell({ result, effect, error }: { result?: unknown; effect: string; error?: unknown }) {
  return (
    <td>
      <span className={`effect effect-${effect}`}>{effect}</span>
      <pre className="json small">{error ? JSON.stringify(error, null, 2) : result === undefined ? "undefined (no result)" : JSON.stringify(result, null, 2)}</pre>
    </td>
  );
}

export function OpaComparison({ inForce, other }: { inForce?: ReplayJson; other?: ReplayJson }) {
  const first = inForce?.opa ?? other?.opa;
  if (!first) return null;
  const columns = [inForce, other].filter((r): r is ReplayJson => !!r?.opa);
  return (
    <div className="replay-compare">
      <p className="muted">
        Query <code>{first.query}</code> with the logged input, <code>now</code> = {first.now}, non-deterministic built-ins from the
        record&apos;s <code>nd_builtin_cache</code>.
      </p>
      <table className="replay-table" data-testid="opa-replay">
        <thead>
          <tr>
            <th>Logged by the PDP</th>
            {columns.map((r, i) => (
              <th key={i}>{targetTitle(r)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <ResultCell result={first.recorded.result} effect={first.recorded.effect} error={first.recorded.error} />
            {columns.map((r, i) => (
              <ResultCell key={i} result={r.opa!.replayed.result} effect={r.opa!.replayed.effect} error={r.opa!.replayed.error} />
            ))}
          </tr>
        </tbody>
      </table>
      {columns.flatMap((r) => r.opa!.caveats).length ? (
        <ul className="muted">
          {[...new Set(columns.flatMap((r) => r.opa!.caveats))].map((c) => (
            <li key={c}>Not fully faithful: {c}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
