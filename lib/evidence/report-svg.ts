// Inline SVG charts for the self-contained HTML report: no script, no external assets, so the report
// renders the same offline, years later, in any browser.
import type { VolumePoint } from "../trends/dashboard.ts";
import type { EffectCounts } from "./manifest.ts";

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const COLORS = { allow: "#2e7d32", deny: "#c62828", other: "#9e9e9e", rate: "#1565c0", axis: "#555" };
const W = 760;
const H = 220;
const PAD = { left: 48, right: 48, top: 16, bottom: 40 };

function label(bucket: string): string {
  return bucket.slice(0, 16).replace("T", " ");
}

/** Stacked allow/deny/other bars per bucket with the deny rate as a line on a 0–100% right axis. */
export function volumeChartSvg(points: VolumePoint[], title: string): string {
  if (points.length === 0) return `<p class="muted">No decisions to chart.</p>`;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const max = Math.max(1, ...points.map((p) => p.total));
  const slot = plotW / points.length;
  const barW = Math.max(1, slot * 0.8);
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const parts: string[] = [];
  points.forEach((p, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    let base = 0;
    for (const effect of ["allow", "deny", "other"] as const) {
      const n = p[effect];
      if (n === 0) continue;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${COLORS[effect]}"><title>${escapeXml(`${label(p.bucket)} ${effect}: ${n}`)}</title></rect>`,
      );
      base += n;
    }
  });
  const ratePoints = points
    .map((p, i) => (p.denyRate === null ? null : `${(PAD.left + i * slot + slot / 2).toFixed(1)},${(PAD.top + plotH - p.denyRate * plotH).toFixed(1)}`))
    .filter((v): v is string => v !== null);
  if (ratePoints.length > 1) parts.push(`<polyline points="${ratePoints.join(" ")}" fill="none" stroke="${COLORS.rate}" stroke-width="2"/>`);
  else if (ratePoints.length === 1) {
    const [cx, cy] = ratePoints[0].split(",");
    parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${COLORS.rate}"/>`);
  }
  const axis = [
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="${COLORS.axis}"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" font-size="10">${max}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end" font-size="10">0</text>`,
    `<text x="${W - PAD.right + 6}" y="${PAD.top + 4}" font-size="10" fill="${COLORS.rate}">100%</text>`,
    `<text x="${W - PAD.right + 6}" y="${PAD.top + plotH}" font-size="10" fill="${COLORS.rate}">0%</text>`,
    `<text x="${PAD.left}" y="${H - 22}" font-size="10">${escapeXml(label(points[0].bucket))}</text>`,
    `<text x="${W - PAD.right}" y="${H - 22}" font-size="10" text-anchor="end">${escapeXml(label(points[points.length - 1].bucket))}</text>`,
    `<text x="${PAD.left}" y="${H - 6}" font-size="10"><tspan fill="${COLORS.allow}">■ allow</tspan> <tspan fill="${COLORS.deny}">■ deny</tspan> <tspan fill="${COLORS.other}">■ other</tspan> <tspan fill="${COLORS.rate}">— deny rate</tspan></text>`,
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif">${[...axis, ...parts].join("")}</svg>`;
}

/** Horizontal allow/deny/other bars, one per PDP. */
export function pdpChartSvg(byPdp: Record<string, Record<string, EffectCounts>>): string {
  const rows = Object.entries(byPdp).flatMap(([engine, pdps]) => Object.entries(pdps).map(([pdp, c]) => ({ name: `${engine} / ${pdp || "(unnamed)"}`, c })));
  if (rows.length === 0) return "";
  rows.sort((a, b) => (a.name < b.name ? -1 : 1));
  const rowH = 22;
  const labelW = 220;
  const height = rows.length * rowH + 10;
  const max = Math.max(1, ...rows.map((r) => r.c.hops));
  const scale = (W - labelW - 60) / max;
  const parts = rows.map((r, i) => {
    const yy = 5 + i * rowH;
    let x = labelW;
    const bars = (["allow", "deny", "other"] as const)
      .filter((e) => r.c[e] > 0)
      .map((e) => {
        const w = r.c[e] * scale;
        const rect = `<rect x="${x.toFixed(1)}" y="${yy}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 6}" fill="${COLORS[e]}"><title>${e}: ${r.c[e]}</title></rect>`;
        x += w;
        return rect;
      })
      .join("");
    return `<text x="${labelW - 6}" y="${yy + 12}" text-anchor="end" font-size="11">${escapeXml(r.name.length > 34 ? `${r.name.slice(0, 33)}…` : r.name)}<title>${escapeXml(r.name)}</title></text>${bars}<text x="${(x + 4).toFixed(1)}" y="${yy + 12}" font-size="10">${r.c.hops}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="Decisions per PDP" font-family="sans-serif">${parts.join("")}</svg>`;
}
