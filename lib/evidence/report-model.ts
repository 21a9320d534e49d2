// What the HTML and PDF reports show, computed once from the bundle's own contents. Charts are counted
// from the exported hops rather than the trends rollup: the report must reconcile with the records it
// ships (rollups skip conflicting records, and a task is not an explorer filter), but the series use the
// trends page's shape and bucket rule so the two read alike.
import { chooseBucket, type VolumePoint } from "../trends/dashboard.ts";
import type { EvidenceHop } from "./collect.ts";
import type { EvidenceManifest } from "./manifest.ts";
import type { TimelineEntry } from "./tables.ts";

export type ReportBucket = "minute" | "hour" | "day";

export interface ReportModel {
  manifest: Omit<EvidenceManifest, "files">;
  bucket: ReportBucket;
  volume: VolumePoint[];
  timeline: TimelineEntry[];
  /** Per-decision rows shown (the CSV/JSON files hold all of them). */
  hops: EvidenceHop[];
  hopsOmitted: number;
  timelineOmitted: number;
}

/** Beyond this a report stops being readable and the PDF grows past what viewers open comfortably. */
export const REPORT_ROW_LIMIT = 2_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function bucketFor(first: Date, last: Date): ReportBucket {
  // A task usually spans minutes: hourly bars would collapse it into one.
  if (last.getTime() - first.getTime() <= 2 * HOUR) return "minute";
  return chooseBucket({ from: first, to: last });
}

function volumeSeries(hops: EvidenceHop[], bucket: ReportBucket): VolumePoint[] {
  if (hops.length === 0) return [];
  const step = bucket === "minute" ? MINUTE : bucket === "hour" ? HOUR : DAY;
  const times = hops.map((h) => Date.parse(h.decidedAt));
  const start = Math.floor(Math.min(...times) / step) * step;
  const end = Math.floor(Math.max(...times) / step) * step;
  const points = new Map<number, { allow: number; deny: number; other: number }>();
  // Capped so a pathological range cannot produce millions of empty buckets.
  for (let t = start; t <= end && points.size < 2_000; t += step) points.set(t, { allow: 0, deny: 0, other: 0 });
  hops.forEach((h, i) => {
    const p = points.get(Math.floor(times[i] / step) * step);
    if (!p) return;
    if (h.effect === "allow") p.allow++;
    else if (h.effect === "deny") p.deny++;
    else p.other++;
  });
  return [...points.entries()].map(([t, p]) => ({
    bucket: new Date(t).toISOString(),
    ...p,
    total: p.allow + p.deny + p.other,
    denyRate: p.allow + p.deny > 0 ? p.deny / (p.allow + p.deny) : null,
  }));
}

export function buildReportModel(manifest: Omit<EvidenceManifest, "files">, hops: EvidenceHop[], timeline: TimelineEntry[]): ReportModel {
  const observed = manifest.timeRange.observed;
  const bucket = observed ? bucketFor(new Date(observed.first), new Date(observed.last)) : "hour";
  return {
    manifest,
    bucket,
    volume: volumeSeries(hops, bucket),
    timeline: timeline.slice(0, REPORT_ROW_LIMIT),
    timelineOmitted: Math.max(0, timeline.length - REPORT_ROW_LIMIT),
    hops: hops.slice(0, REPORT_ROW_LIMIT),
    hopsOmitted: Math.max(0, hops.length - REPORT_ROW_LIMIT),
  };
}

/** One line on how sensitive data was handled, for both reports. */
export function maskingSummary(m: Omit<EvidenceManifest, "files">): string {
  const k = m.masking;
  if (!k) return "not recorded (bundle made before masking)";
  if (k.mode === "sensitive-included") return `INCLUDED unmasked (raw records and tables), reason: ${k.reason ?? ""}`;
  return k.withheldRecords
    ? `masked; ${k.withheldRecords} record(s) holding sensitive values are withheld: proven by leaf hash, shipped as masked copies under records-masked/`
    : "masked; no record held a sensitive value, every record is shipped byte-exact";
}

export function percent(rate: number | null): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(1)}%`;
}

/** How an auditor checks the bundle; printed in both reports. */
export const VERIFY_INSTRUCTIONS = [
  "hindsight evidence verify <bundle.zip> --key <published-key.pem>",
  "or with standard tools, in the unzipped bundle:",
  "sha256sum -c SHA256SUMS",
  "openssl pkeyutl -verify -pubin -inkey signing-key.pub.pem -rawin -in manifest.json -sigfile manifest.sig",
  "and compare the key fingerprint below with the one published out of band.",
];
