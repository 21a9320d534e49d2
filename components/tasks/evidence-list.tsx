// Why these hops are one task: each piece of correlation evidence with its confidence; inferred links
// (time-window guesses that need an investigator's confirmation) are marked and dashed.
import type { CorrelationEvidence, TaskEdge } from "@/lib/delegation/types";

const KIND_LABEL: Record<string, string> = {
  explicit_task_id: "explicit task id",
  txn: "transaction token (txn)",
  trace_id: "trace id",
  jti_link: "token jti link",
  token_lineage: "token lineage",
  time_window: "time window",
};

export function EvidenceList({ evidence, edges }: { evidence: CorrelationEvidence[]; edges: TaskEdge[] }) {
  const inferredEdges = edges.filter((e) => e.inferred).length;
  return (
    <div>
      {evidence.length === 0 ? <p className="muted">A single hop: no correlation evidence needed.</p> : null}
      <ul className="evidence-list" aria-label="Correlation evidence">
        {evidence.map((e, i) => (
          <li key={`${e.kind}-${i}`} className={e.inferred ? "evidence evidence-inferred" : "evidence"}>
            <span className="evidence-kind">{KIND_LABEL[e.kind] ?? e.kind}</span>
            <code className="evidence-value" title={e.value}>
              {e.value}
            </code>
            <span className="evidence-confidence" title="confidence">
              {Math.round(e.confidence * 100)}%
            </span>
            <span className="muted">
              {e.hopIds.length} hop{e.hopIds.length === 1 ? "" : "s"}
            </span>
            {e.inferred ? <span className="inferred-badge">inferred</span> : null}
          </li>
        ))}
      </ul>
      {edges.length ? (
        <p className="muted">
          {edges.length} parent→child link{edges.length === 1 ? "" : "s"} between hops ({[...new Set(edges.map((e) => e.kind.replace("_", " ")))].join(", ")})
          {inferredEdges ? `, ${inferredEdges} inferred (dashed on the timeline)` : ""}.
        </p>
      ) : null}
    </div>
  );
}
