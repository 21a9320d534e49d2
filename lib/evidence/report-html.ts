// The self-contained HTML report: one file, inline CSS and SVG, no script and no external requests
// (a Content-Security-Policy meta tag forbids them), every value escaped.
import { maskingSummary, percent, type ReportModel, VERIFY_INSTRUCTIONS } from "./report-model.ts";
import { escapeXml as esc, pdpChartSvg, volumeChartSvg } from "./report-svg.ts";

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f4f4f4;overflow-wrap:normal}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}dt{font-weight:600}dd{margin:0}
code,.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}.muted{color:#777}
.allow{color:#2e7d32}.deny{color:#c62828;font-weight:600}.warn{color:#b26a00}`;

function row(cells: (string | number | null | undefined)[], tag = "td"): string {
  return `<tr>${cells.map((c) => `<${tag}>${c === null || c === undefined ? "" : esc(String(c))}</${tag}>`).join("")}</tr>`;
}

function table(head: string[], rows: (string | number | null | undefined)[][]): string {
  return `<table><thead>${row(head, "th")}</thead><tbody>${rows.map((r) => row(r)).join("")}</tbody></table>`;
}

function summary(m: ReportModel["manifest"]): string {
  const t = m.counts.total;
  const items: [string, string][] = [
    ["Scope", m.scope.description],
    ["Reason", m.reason],
    ["Exported by", `${m.exporter.actor} (${m.exporter.origin})`],
    ["Exported at", m.exportedAt],
    ["Bundle id", m.bundleId],
    ["Application", `${m.app.name} ${m.app.version}`],
    ["Requested range", m.timeRange.requested ? `${m.timeRange.requested.from ?? "…"} .. ${m.timeRange.requested.to ?? "…"}` : "(none: task scope)"],
    ["Observed range", m.timeRange.observed ? `${m.timeRange.observed.first} .. ${m.timeRange.observed.last}` : "(no records)"],
    ["Records / decisions", `${m.counts.records} records, ${m.counts.hops} decisions (${t.allow} allow, ${t.deny} deny, ${t.other} other; deny rate ${percent(t.allow + t.deny ? t.deny / (t.allow + t.deny) : null)})`],
    ["Conflicting records", String(m.counts.conflicts)],
    ["Sensitive data", maskingSummary(m)],
    ["Signing key", `${m.signingKey.keyId} (Ed25519), fingerprint SHA-256 ${m.signingKey.fingerprint}`],
    ["Checkpoint", `tree size ${m.checkpoint.treeSize}, root ${m.checkpoint.rootHash}, signed by ${m.checkpoint.keyId}`],
  ];
  return `<dl>${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

function gapsSection(m: ReportModel["manifest"]): string {
  const g = m.gaps;
  const seq = `<p class="${g.sequence.contiguous ? "" : "warn"}">Log sequence: ${esc(g.sequence.note)} (tree size ${g.sequence.treeSize}, records ${g.sequence.recordsInLog}).</p>`;
  const time = g.timeGaps.length
    ? table(["Engine", "PDP", "Silent from", "to", "Seconds", "Edge"], g.timeGaps.map((x) => [x.engine, x.pdpInstance, x.from, x.to, x.seconds, x.edge ?? ""]))
    : `<p>No PDP was silent for more than ${g.thresholdSeconds} s inside the scope.</p>`;
  const conflicts = g.conflicts.length
    ? `<p class="warn">Records flagged as conflicting (same key, different content as an earlier record):</p>` +
      table(["Leaf", "Engine", "PDP", "Record key"], g.conflicts.map((c) => [c.leafIndex, c.engine, c.pdpInstance, c.recordKey]))
    : "<p>No conflicting records.</p>";
  return seq + time + conflicts;
}

export function renderReportHtml(model: ReportModel): string {
  const m = model.manifest;
  const title = `Evidence report: ${m.scope.description}`;
  const countsRows = Object.entries(m.counts.byPdp).flatMap(([engine, pdps]) =>
    Object.entries(pdps).map(([pdp, c]) => [engine, pdp || "(unnamed)", c.records, c.hops, c.allow, c.deny, c.other]),
  );
  const timelineRows = model.timeline.map((t) => [t.at, t.leafIndex, t.engine, t.pdpInstance, t.kind, t.principals.join(", "), t.agents.join(", "), t.actions.join(", "), `${t.allow}/${t.deny}/${t.other}`, t.recordFile]);
  const hopRows = model.hops.map((h) => [h.decidedAt, h.leafIndex, h.engine, h.pdpInstance, h.principalId, h.actingAgent, h.action, `${h.resourceKind ?? ""}:${h.resourceId ?? ""}`, h.effect, h.policy, h.policySourceRef]);
  const omitted = (n: number, file: string) => (n > 0 ? `<p class="muted">${n} more rows are in ${esc(file)}.</p>` : "");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head><body>
<h1>${esc(title)}</h1>
${summary(m)}
<h2>Verify this bundle</h2>
<pre class="mono">${VERIFY_INSTRUCTIONS.map(esc).join("\n")}</pre>
<h2>Decisions over time (per ${model.bucket})</h2>
${volumeChartSvg(model.volume, "Decisions over time")}
<h2>Counts per engine and PDP</h2>
${pdpChartSvg(m.counts.byPdp)}
${table(["Engine", "PDP", "Records", "Decisions", "Allow", "Deny", "Other"], countsRows)}
<h2>Policy versions involved</h2>
${m.policyVersions.length ? table(["Source ref", "Policy versions", "Policies", "Decisions", "First seen", "Last seen"], m.policyVersions.map((p) => [p.sourceRef || "(none recorded)", p.policyVersions.join(", "), p.policies.join(", "), p.hops, p.firstSeen, p.lastSeen])) : "<p>No decisions.</p>"}
<h2>Completeness</h2>
${gapsSection(m)}
<h2>Timeline (one row per record)</h2>
${table(["Time", "Leaf", "Engine", "PDP", "Kind", "Principals", "Agents", "Actions", "Allow/Deny/Other", "File"], timelineRows)}
${omitted(model.timelineOmitted, "derived/timeline.csv")}
<h2>Decisions</h2>
${table(["Time", "Leaf", "Engine", "PDP", "Principal", "Agent", "Action", "Resource", "Effect", "Policy", "Source ref"], hopRows)}
${omitted(model.hopsOmitted, "derived/hops.csv")}
<h2>Query as executed</h2>
<p>Records:</p><pre class="mono">${esc(m.query.records.sql)}</pre><p>Parameters: <code>${esc(JSON.stringify(m.query.records.params))}</code></p>
<p>Decisions:</p><pre class="mono">${esc(m.query.hops.sql)}</pre><p>Parameters: <code>${esc(JSON.stringify(m.query.hops.params))}</code></p>
</body></html>
`;
}
