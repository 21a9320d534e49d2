// The same report as PDF, drawn with pdf-lib and the 14 standard fonts (nothing fetched, nothing
// embedded from the machine). Dates inside the PDF are the export time, so the file depends only on
// the bundle's data.
import { type PDFFont, PDFDocument, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { maskingSummary, percent, type ReportModel, VERIFY_INSTRUCTIONS } from "./report-model.ts";

const PAGE: [number, number] = [842, 595]; // A4 landscape, points
const MARGIN = 36;
const COLORS = { allow: rgb(0.18, 0.49, 0.2), deny: rgb(0.78, 0.16, 0.16), other: rgb(0.62, 0.62, 0.62), text: rgb(0.13, 0.13, 0.13), rule: rgb(0.8, 0.8, 0.8) };

/** The standard fonts speak WinAnsi only; anything else would throw, so it becomes "?". */
function winAnsi(text: string): string {
  return text.replace(/[–—]/g, "-").replace(/[^\x20-\x7e\xa0-\xff]/g, "?");
}

class Writer {
  page!: PDFPage;
  y = 0;
  constructor(
    private doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  fit(text: string, font: PDFFont, size: number, width: number): string {
    let t = winAnsi(text);
    if (font.widthOfTextAtSize(t, size) <= width) return t;
    while (t.length > 1 && font.widthOfTextAtSize(t + "...", size) > width) t = t.slice(0, -1);
    return t + "...";
  }

  line(text: string, opts: { font?: PDFFont; size?: number; indent?: number } = {}): void {
    const size = opts.size ?? 9;
    const font = opts.font ?? this.regular;
    const indent = opts.indent ?? 0;
    const width = PAGE[0] - 2 * MARGIN - indent;
    // Wrap long values (hashes, SQL) rather than cutting them: the report must show them whole.
    let rest = winAnsi(text);
    do {
      let take = rest.length;
      while (take > 1 && font.widthOfTextAtSize(rest.slice(0, take), size) > width) take--;
      this.ensure(size + 3);
      this.page.drawText(rest.slice(0, take), { x: MARGIN + indent, y: this.y - size, size, font, color: COLORS.text });
      this.y -= size + 3;
      rest = rest.slice(take);
    } while (rest.length > 0);
  }

  heading(text: string): void {
    this.ensure(40);
    this.y -= 8;
    this.line(text, { font: this.bold, size: 13 });
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: PAGE[0] - MARGIN, y: this.y }, thickness: 0.5, color: COLORS.rule });
    this.y -= 4;
  }

  table(head: string[], widths: number[], rows: string[][]): void {
    const size = 7;
    const total = widths.reduce((a, b) => a + b, 0);
    const cols = widths.map((w) => (w / total) * (PAGE[0] - 2 * MARGIN));
    const draw = (cells: string[], font: PDFFont) => {
      this.ensure(size + 4);
      let x = MARGIN;
      cells.forEach((c, i) => {
        this.page.drawText(this.fit(c, font, size, cols[i] - 4), { x, y: this.y - size, size, font, color: COLORS.text });
        x += cols[i];
      });
      this.y -= size + 4;
    };
    draw(head, this.bold);
    for (const r of rows) {
      if (this.y - size - 4 < MARGIN) {
        this.newPage();
        draw(head, this.bold);
      }
      draw(r, this.regular);
    }
  }

  volumeChart(model: ReportModel): void {
    const points = model.volume;
    if (points.length === 0) return this.line("No decisions to chart.");
    const height = 140;
    const width = PAGE[0] - 2 * MARGIN;
    this.ensure(height + 20);
    const base = this.y - height;
    const max = Math.max(1, ...points.map((p) => p.total));
    const slot = width / points.length;
    points.forEach((p, i) => {
      let y = base;
      for (const effect of ["allow", "deny", "other"] as const) {
        const h = (p[effect] / max) * height;
        if (h > 0) this.page.drawRectangle({ x: MARGIN + i * slot + slot * 0.1, y, width: Math.max(0.5, slot * 0.8), height: h, color: COLORS[effect] });
        y += h;
      }
    });
    this.page.drawLine({ start: { x: MARGIN, y: base }, end: { x: MARGIN + width, y: base }, thickness: 0.5, color: COLORS.text });
    this.y = base - 2;
    this.line(`${points[0].bucket} .. ${points[points.length - 1].bucket}   max ${max} per ${model.bucket}   green allow, red deny, grey other`, { size: 7 });
  }
}

export async function renderReportPdf(model: ReportModel): Promise<Uint8Array> {
  const m = model.manifest;
  const doc = await PDFDocument.create();
  const at = new Date(m.exportedAt);
  doc.setTitle(winAnsi(`Evidence report: ${m.scope.description}`));
  doc.setAuthor(winAnsi(m.exporter.actor));
  doc.setSubject(winAnsi(m.reason));
  doc.setProducer(`${m.app.name} ${m.app.version}`);
  doc.setCreator(`${m.app.name} evidence export`);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold), await doc.embedFont(StandardFonts.Courier));
  const t = m.counts.total;

  w.line(`Evidence report: ${m.scope.description}`, { font: w.bold, size: 16 });
  w.y -= 4;
  const kv: [string, string][] = [
    ["Reason", m.reason],
    ["Exported by", `${m.exporter.actor} (${m.exporter.origin}) at ${m.exportedAt}`],
    ["Bundle id", m.bundleId],
    ["Application", `${m.app.name} ${m.app.version}`],
    ["Observed range", m.timeRange.observed ? `${m.timeRange.observed.first} .. ${m.timeRange.observed.last}` : "(no records)"],
    ["Population", `${m.counts.records} records, ${m.counts.hops} decisions: ${t.allow} allow, ${t.deny} deny, ${t.other} other (deny rate ${percent(t.allow + t.deny ? t.deny / (t.allow + t.deny) : null)}); ${m.counts.conflicts} conflicting records`],
    ["Sensitive data", maskingSummary(m)],
    ["Signing key", `${m.signingKey.keyId} (Ed25519) fingerprint ${m.signingKey.fingerprint}`],
    ["Checkpoint", `tree size ${m.checkpoint.treeSize} root ${m.checkpoint.rootHash} signed by ${m.checkpoint.keyId}`],
  ];
  for (const [k, v] of kv) w.line(`${k}: ${v}`);

  w.heading("Verify this bundle");
  for (const l of VERIFY_INSTRUCTIONS) w.line(l, { font: w.mono, size: 8 });

  w.heading(`Decisions over time (per ${model.bucket})`);
  w.volumeChart(model);

  w.heading("Counts per engine and PDP");
  w.table(
    ["Engine", "PDP", "Records", "Decisions", "Allow", "Deny", "Other"],
    [2, 4, 1, 1, 1, 1, 1],
    Object.entries(m.counts.byPdp).flatMap(([engine, pdps]) => Object.entries(pdps).map(([pdp, c]) => [engine, pdp || "(unnamed)", ...[c.records, c.hops, c.allow, c.deny, c.other].map(String)])),
  );

  w.heading("Policy versions involved");
  w.table(["Source ref", "Policy versions", "Policies", "Decisions", "First seen", "Last seen"], [3, 2, 4, 1, 2, 2], m.policyVersions.map((p) => [p.sourceRef || "(none recorded)", p.policyVersions.join(", "), p.policies.join(", "), String(p.hops), p.firstSeen, p.lastSeen]));

  w.heading("Completeness");
  w.line(`Log sequence: ${m.gaps.sequence.note}.`);
  if (m.gaps.timeGaps.length === 0) w.line(`No PDP was silent for more than ${m.gaps.thresholdSeconds} s inside the scope.`);
  else w.table(["Engine", "PDP", "Silent from", "to", "Seconds", "Edge"], [1, 3, 2, 2, 1, 1], m.gaps.timeGaps.map((g) => [g.engine, g.pdpInstance, g.from, g.to, String(g.seconds), g.edge ?? ""]));
  w.line(m.gaps.conflicts.length ? `Conflicting records (leaf indices): ${m.gaps.conflicts.map((c) => c.leafIndex).join(", ")}` : "No conflicting records.");

  w.heading("Timeline (one row per record)");
  w.table(
    ["Time", "Leaf", "Engine", "PDP", "Principals", "Agents", "Actions", "A/D/O"],
    [3, 1, 1, 2, 3, 3, 3, 1],
    model.timeline.map((e) => [e.at, String(e.leafIndex), e.engine, e.pdpInstance, e.principals.join(", "), e.agents.join(", "), e.actions.join(", "), `${e.allow}/${e.deny}/${e.other}`]),
  );
  if (model.timelineOmitted) w.line(`${model.timelineOmitted} more rows are in derived/timeline.csv.`);

  w.heading("Decisions");
  w.table(
    ["Time", "Leaf", "PDP", "Principal", "Agent", "Action", "Resource", "Effect", "Policy", "Source ref"],
    [3, 1, 2, 2, 2, 2, 3, 1, 3, 2],
    model.hops.map((h) => [h.decidedAt, String(h.leafIndex), h.pdpInstance, h.principalId ?? "", h.actingAgent ?? "", h.action, `${h.resourceKind ?? ""}:${h.resourceId ?? ""}`, h.effect, h.policy ?? "", h.policySourceRef ?? ""]),
  );
  if (model.hopsOmitted) w.line(`${model.hopsOmitted} more rows are in derived/hops.csv.`);

  w.heading("Query as executed");
  w.line(m.query.records.sql.replace(/\s+/g, " "), { font: w.mono, size: 7 });
  w.line(`parameters: ${JSON.stringify(m.query.records.params)}`, { font: w.mono, size: 7 });
  w.line(m.query.hops.sql.replace(/\s+/g, " "), { font: w.mono, size: 7 });
  w.line(`parameters: ${JSON.stringify(m.query.hops.params)}`, { font: w.mono, size: 7 });
  return doc.save({ useObjectStreams: false });
}
