// Who delegated to whom: SVG laid out left to right by chain depth (lib/views/delegation-graph), with
// the scopes on delegation edges (widened ones in red) and actions/decisions on tool calls. Edges
// backed only by inferred hops are dashed. The list under it states every edge in words.
import { type DelegationGraph as Graph, GRAPH_LAYOUT, type GraphEdge } from "@/lib/views/delegation-graph";
import { flagLabel } from "@/lib/views/flag-codes";

const { nodeWidth, nodeHeight } = GRAPH_LAYOUT;

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function edgeLabel(e: GraphEdge): { main: string; warn: string | null; counts?: string } {
  if (e.type === "call") {
    const counts = [e.allow ? `${e.allow} allow` : "", e.deny ? `${e.deny} deny` : "", e.other ? `${e.other} other` : ""].filter(Boolean).join(", ");
    return { main: e.deny ? `${e.actions.join(", ")} (${e.deny} denied)` : e.actions.join(", "), warn: null, counts } as const;
  }
  const main = e.scopes.length ? e.scopes.filter((s) => !e.widenedScopes.includes(s)).join(" ") : "(scopes not recorded)";
  return { main, warn: e.widenedScopes.length ? `+ ${e.widenedScopes.join(" ")}` : null };
}

export function DelegationGraph({ graph }: { graph: Graph }) {
  const pos = new Map(graph.nodes.map((n) => [n.id, n]));
  // Many tool calls: their labels would pile up; the tooltip and the list below still say everything.
  const callLabels = graph.edges.filter((e) => e.type === "call").length <= 10;
  return (
    <div className="graph-wrap">
      <svg
        className="dg"
        width={graph.width}
        height={graph.height}
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        // Deep chains scale down to the panel's width instead of hiding the tools behind a scrollbar.
        style={{ width: "100%", maxWidth: graph.width, height: "auto" }}
        role="img"
        aria-label={`Delegation graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges`}
        data-testid="delegation-graph"
      >
        <defs>
          <marker id="dg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="dg-arrow" />
          </marker>
        </defs>
        {graph.edges.map((e) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          const x1 = a.x + nodeWidth;
          const y1 = a.y + nodeHeight / 2;
          const x2 = b.x;
          const y2 = b.y + nodeHeight / 2;
          const mid = (x1 + x2) / 2;
          const label = edgeLabel(e);
          const showLabel = e.type === "delegation" || callLabels;
          const cls = ["dg-edge", `dg-${e.type}`, e.widenedScopes.length || e.flagCodes.length ? "dg-flagged" : "", e.inferred ? "dg-inferred" : ""].join(" ");
          return (
            <g key={e.id} className={cls}>
              <title>
                {`${a.label} → ${b.label}\n${e.type === "delegation" ? `scopes: ${e.scopes.join(", ") || "not recorded"}` : `actions: ${e.actions.join(", ")}`}${e.widenedScopes.length ? `\nwidened: ${e.widenedScopes.join(", ")}` : ""}${e.flagCodes.length ? `\nflags: ${e.flagCodes.join(", ")}` : ""}${e.inferred ? "\ninferred link" : ""}`}
              </title>
              <path d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`} markerEnd="url(#dg-arrow)" />
              {showLabel ? (
                <text x={mid} y={(y1 + y2) / 2 - (label.warn ? 19 : 6)} textAnchor="middle" className="dg-label">
                  {clip(label.main, 28)}
                </text>
              ) : null}
              {label.warn ? (
                <text x={mid} y={(y1 + y2) / 2 - 6} textAnchor="middle" className="dg-label dg-label-warn">
                  {clip(label.warn, 28)}
                </text>
              ) : null}
              {e.inferred ? (
                <text x={mid} y={(y1 + y2) / 2 + 14} textAnchor="middle" className="dg-label dg-label-inferred">
                  inferred
                </text>
              ) : null}
            </g>
          );
        })}
        {graph.nodes.map((n) => (
          <g key={n.id} className={`dg-node dg-node-${n.kind}${n.flagged ? " dg-node-flagged" : ""}`} transform={`translate(${n.x}, ${n.y})`}>
            <title>{`${n.label} (${n.kind === "target" ? "tool/resource" : n.kind}): ${n.hopCount} hops, ${n.denyCount} denied`}</title>
            <rect width={nodeWidth} height={nodeHeight} rx={n.kind === "target" ? 4 : 18} />
            <text x={nodeWidth / 2} y={16} textAnchor="middle" className="dg-node-label">
              {clip(n.label, 22)}
            </text>
            <text x={nodeWidth / 2} y={31} textAnchor="middle" className="dg-node-sub">
              {[n.kind === "target" ? null : n.kind, n.hopCount ? `${n.hopCount} hop${n.hopCount === 1 ? "" : "s"}` : null, n.denyCount ? `${n.denyCount} denied` : null]
                .filter(Boolean)
                .join(" · ")}
            </text>
          </g>
        ))}
      </svg>
      <details className="dg-edges">
        <summary>Edges in words ({graph.edges.length})</summary>
        <ul aria-label="Delegation edges">
          {graph.edges.map((e) => {
            const a = pos.get(e.from);
            const b = pos.get(e.to);
            if (!a || !b) return null;
            return (
              <li key={e.id} className={e.inferred ? "inferred-item" : undefined}>
                <strong>{a.label}</strong> {e.type === "delegation" ? "delegated to" : "called"} <strong>{b.label}</strong>
                {e.type === "delegation" ? `: scopes ${e.scopes.join(", ") || "not recorded"}` : `: ${e.actions.join(", ")} (${edgeLabel(e).counts})`}
                {e.widenedScopes.length ? <span className="error-text"> (widened beyond the parent: {e.widenedScopes.join(", ")})</span> : null}
                {e.flagCodes.length ? <span className="muted"> · {e.flagCodes.map(flagLabel).join(", ")}</span> : null}
                {e.inferred ? <span className="inferred-badge">inferred</span> : null}
              </li>
            );
          })}
        </ul>
      </details>
    </div>
  );
}
