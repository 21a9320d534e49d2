// URLs of the trends page and its drill-throughs. The trends page shares the explorer's filter
// parameters (lib/explorer/query-params) and adds `bucket`; every ranked value, spike and contributor
// links to the explorer with the same filters, the dashboard's window, effect=deny and that value.
import { type ExplorerFilters, explorerHref, explorerSearchParams, type FilterParam } from "../explorer/query-params.ts";

export type TrendBucket = "hour" | "day";
export type TopDimension = "action" | "kind" | "principal" | "agent" | "policy" | "resource" | "tool";

export function parseBucket(v: string | string[] | undefined): TrendBucket | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === "hour" || s === "day" ? s : undefined;
}

export function trendsHref(filters: ExplorerFilters, bucket?: TrendBucket): string {
  const params = explorerSearchParams({ filters });
  if (bucket) params.set("bucket", bucket);
  const qs = params.toString();
  return qs ? `/trends?${qs}` : "/trends";
}

/** The explorer filters that select one ranked value (resources are "kind:id"; tools are resource ids). */
export function filtersForValue(dim: TopDimension | "contributor", value: string, contributorDim?: string): Partial<Record<FilterParam, string>> {
  const d = dim === "contributor" ? contributorDim : dim;
  switch (d) {
    case "resource": {
      const i = value.indexOf(":");
      return i > 0 ? { kind: value.slice(0, i), rid: value.slice(i + 1) } : { rid: value };
    }
    case "tool":
      return { rid: value };
    case "action":
    case "kind":
    case "principal":
    case "agent":
    case "policy":
      return { [d]: value };
    default:
      return {};
  }
}

/** An ISO bound the explorer reads as inclusive, for an exclusive window end. */
export function inclusiveEnd(exclusiveIso: string): string {
  return new Date(Date.parse(exclusiveIso) - 1).toISOString();
}

export function windowFilters(filters: ExplorerFilters, window: { from: string; to: string }): ExplorerFilters {
  return { ...filters, from: filters.from ?? window.from, to: filters.to ?? inclusiveEnd(window.to) };
}

export function drillHref(filters: ExplorerFilters, window: { from: string; to: string }, dim: TopDimension, value: string): string {
  return explorerHref({ filters: { ...windowFilters(filters, window), effect: "deny", ...filtersForValue(dim, value) } });
}

/** A spike's hour in the explorer (denials only), optionally narrowed to one contributor. */
export function spikeHref(filters: ExplorerFilters, spike: { from: string; to: string }, contributor?: { dimension: string; value: string }): string {
  const extra = contributor ? filtersForValue("contributor", contributor.value, contributor.dimension) : {};
  return explorerHref({ filters: { ...filters, from: spike.from, to: inclusiveEnd(spike.to), effect: "deny", ...extra } });
}

/** Bucket start (ISO) that a moment falls in, matching the dashboard's zero-filled bucket keys. */
export function bucketOf(iso: string, bucket: TrendBucket): string {
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  return new Date(Math.floor(Date.parse(iso) / step) * step).toISOString();
}

/** Brush selection (bucket indices) → the from/to the URL carries: whole buckets, `to` inclusive. */
export function brushWindow(buckets: string[], startIndex: number, endIndex: number, bucket: TrendBucket): { from: string; to: string } | null {
  const a = buckets[Math.max(0, Math.min(startIndex, endIndex))];
  const b = buckets[Math.min(buckets.length - 1, Math.max(startIndex, endIndex))];
  if (!a || !b) return null;
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  return { from: a, to: new Date(Date.parse(b) + step - 1).toISOString() };
}
