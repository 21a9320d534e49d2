// Everything the denial-trends page shows, computed from SQL aggregates (the hourly rollup where the
// filters allow) for one window and the explorer's filters.
import type pg from "pg";
import type { ExplorerFilters } from "../explorer/query-params.ts";
import { filterConditions, SqlParams } from "../explorer/filter-sql.ts";
import { countHops, type Dimension } from "./aggregate.ts";
import { detectSpikes, type Spike } from "./spikes.ts";
import { floorHour, windowFromFilters, type TimeWindow } from "./window.ts";

export type BucketSize = "hour" | "day";

export interface VolumePoint {
  bucket: string;
  allow: number;
  deny: number;
  other: number;
  total: number;
  /** deny / (allow + deny), null when there were neither. */
  denyRate: number | null;
}

export interface RankedValue {
  value: string;
  denials: number;
}

export interface VersionRate {
  sourceRef: string;
  allow: number;
  deny: number;
  denyRate: number | null;
}

export interface VersionMarker {
  sourceRef: string;
  firstSeen: string;
}

export interface SpikeWithContributors extends Spike {
  contributors: { dimension: "principal" | "agent" | "action" | "kind"; value: string; denials: number }[];
}

export interface TrendsDashboard {
  window: { from: string; to: string };
  bucket: BucketSize;
  totals: { allow: number; deny: number; other: number; denyRate: number | null };
  volume: VolumePoint[];
  versionRates: VersionRate[];
  versionMarkers: VersionMarker[];
  top: Record<"action" | "kind" | "principal" | "agent" | "policy" | "resource" | "tool", RankedValue[]>;
  spikes: SpikeWithContributors[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TOP_N = 10;

/**
 * Without from/to: up to 7 days ending at the newest data (not "now", so an old data set still shows),
 * starting no earlier than the oldest data (no empty days before it).
 */
async function defaultWindow(pool: pg.Pool): Promise<TimeWindow> {
  const { rows } = await pool.query<{ earliest: Date | null; latest: Date | null }>(
    `SELECT min(bucket) AS earliest, max(bucket) AS latest FROM hop_rollup WHERE dim = 'all'`,
  );
  const end = rows[0]?.latest ? new Date(rows[0].latest.getTime() + HOUR) : floorHour(new Date(Date.now() + HOUR));
  const weekBefore = end.getTime() - 7 * DAY;
  const earliest = rows[0]?.earliest?.getTime() ?? weekBefore;
  return { from: new Date(Math.max(weekBefore, earliest)), to: end };
}

export async function resolveWindow(pool: pg.Pool, filters: ExplorerFilters): Promise<TimeWindow> {
  return windowFromFilters(filters, await defaultWindow(pool));
}

export function chooseBucket(window: TimeWindow, requested?: string): BucketSize {
  if (requested === "hour" || requested === "day") return requested;
  return window.to.getTime() - window.from.getTime() <= 3 * DAY ? "hour" : "day";
}

function rate(allow: number, deny: number): number | null {
  return allow + deny > 0 ? deny / (allow + deny) : null;
}

function zeroFilledBuckets(window: TimeWindow, bucket: BucketSize): string[] {
  const step = bucket === "hour" ? HOUR : DAY;
  const start = Math.floor(window.from.getTime() / step) * step;
  const out: string[] = [];
  for (let t = start; t < window.to.getTime() && out.length < 10_000; t += step) out.push(new Date(t).toISOString());
  return out;
}

function volumeSeries(rows: { [k: string]: string | number }[], buckets: string[], key: BucketSize): VolumePoint[] {
  const byBucket = new Map(buckets.map((b) => [b, { allow: 0, deny: 0, other: 0 }]));
  for (const r of rows) {
    const point = byBucket.get(r[key] as string);
    if (!point) continue;
    if (r.effect === "allow") point.allow += r.n as number;
    else if (r.effect === "deny") point.deny += r.n as number;
    else point.other += r.n as number;
  }
  return buckets.map((bucket) => {
    const p = byBucket.get(bucket)!;
    return { bucket, ...p, total: p.allow + p.deny + p.other, denyRate: rate(p.allow, p.deny) };
  });
}

async function topDenied(pool: pg.Pool, filters: ExplorerFilters, window: TimeWindow, dim: Dimension): Promise<RankedValue[]> {
  const rows = await countHops(pool, { ...filters, effect: "deny" }, window, [dim], { orderByCountDesc: true, limit: TOP_N + 1 });
  return rows.filter((r) => r[dim] !== "").slice(0, TOP_N).map((r) => ({ value: r[dim], denials: r.n }));
}

/**
 * Resources (kind:id) and tools need resource ids, too many to roll up: both lists come from one scan of
 * the window's denied hops (the top tools are not always among the top resources, so the grouped rows
 * are ranked twice here rather than limited in SQL).
 */
export async function topDeniedResourcesAndTools(pool: pg.Pool, filters: ExplorerFilters, window: TimeWindow): Promise<{ resource: RankedValue[]; tool: RankedValue[] }> {
  const params = new SqlParams();
  const { from: _f, to: _t, ...rest } = filters;
  const conds = [
    "NOT is_conflict",
    "effect = 'deny'",
    "resource_id IS NOT NULL",
    `decided_at >= ${params.add(window.from.toISOString())}::timestamptz`,
    `decided_at < ${params.add(window.to.toISOString())}::timestamptz`,
    ...filterConditions({ ...rest, effect: undefined }, params),
  ];
  const { rows } = await pool.query<{ kind: string | null; id: string; n: string }>(
    `SELECT resource_kind AS kind, resource_id AS id, count(*) AS n FROM hops WHERE ${conds.join(" AND ")} GROUP BY 1, 2`,
    params.values,
  );
  const rank = (list: typeof rows, label: (r: (typeof rows)[number]) => string) =>
    list
      .map((r) => ({ value: label(r), denials: Number(r.n) }))
      .sort((a, b) => b.denials - a.denials || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, TOP_N);
  return {
    resource: rank(rows, (r) => `${r.kind ?? "?"}:${r.id}`),
    // A "tool" is a resource whose kind names one (mcp_tool, tool, …) until delegation data names tools.
    tool: rank(rows.filter((r) => /tool/i.test(r.kind ?? "")), (r) => r.id),
  };
}

async function versionMarkers(pool: pg.Pool, window: TimeWindow): Promise<VersionMarker[]> {
  const { rows } = await pool.query<{ ref: string; first_seen: Date }>(
    `SELECT value AS ref, min(bucket) AS first_seen FROM hop_rollup WHERE dim = 'ref' AND value <> '' GROUP BY 1 ORDER BY 2`,
  );
  // The first version ever seen is where the data starts, not a change.
  return rows
    .slice(1)
    .filter((r) => r.first_seen >= window.from && r.first_seen < window.to)
    .map((r) => ({ sourceRef: r.ref, firstSeen: r.first_seen.toISOString() }));
}

async function spikeContributors(pool: pg.Pool, filters: ExplorerFilters, spike: Spike): Promise<SpikeWithContributors["contributors"]> {
  const window = { from: new Date(spike.from), to: new Date(spike.to) };
  const out: SpikeWithContributors["contributors"] = [];
  for (const dim of ["principal", "agent", "action", "kind"] as const) {
    const top = await topDenied(pool, filters, window, dim);
    out.push(...top.slice(0, 3).map((t) => ({ dimension: dim, value: t.value, denials: t.denials })));
  }
  return out;
}

/**
 * `resources: false` leaves the resource and tool lists empty: they scan raw denied hops (too many
 * resource ids to roll up), so a page can stream them (topDeniedResourcesAndTools) after the charts.
 */
export async function buildTrendsDashboard(
  pool: pg.Pool,
  filters: ExplorerFilters,
  requestedBucket?: string,
  opts: { resources?: boolean } = {},
): Promise<TrendsDashboard> {
  const window = await resolveWindow(pool, filters);
  const bucket = chooseBucket(window, requestedBucket);
  const [volumeRows, hourlyRows, versionRows, markers] = await Promise.all([
    countHops(pool, filters, window, [bucket, "effect"]),
    bucket === "hour" ? Promise.resolve(null) : countHops(pool, filters, window, ["hour", "effect"]),
    countHops(pool, filters, window, ["sourceRef", "effect"]),
    versionMarkers(pool, window),
  ]);
  const volume = volumeSeries(volumeRows, zeroFilledBuckets(window, bucket), bucket);
  const hourly = bucket === "hour" ? volume : volumeSeries(hourlyRows!, zeroFilledBuckets(window, "hour"), "hour");

  const versions = new Map<string, { allow: number; deny: number }>();
  for (const r of versionRows) {
    const v = versions.get(r.sourceRef) ?? { allow: 0, deny: 0 };
    if (r.effect === "allow") v.allow += r.n;
    if (r.effect === "deny") v.deny += r.n;
    versions.set(r.sourceRef, v);
  }
  const totals = volume.reduce((t, p) => ({ allow: t.allow + p.allow, deny: t.deny + p.deny, other: t.other + p.other }), { allow: 0, deny: 0, other: 0 });
  const [action, kind, principal, agent, policy, { resource, tool }] = await Promise.all([
    topDenied(pool, filters, window, "action"),
    topDenied(pool, filters, window, "kind"),
    topDenied(pool, filters, window, "principal"),
    topDenied(pool, filters, window, "agent"),
    topDenied(pool, filters, window, "policy"),
    opts.resources === false ? Promise.resolve({ resource: [], tool: [] }) : topDeniedResourcesAndTools(pool, filters, window),
  ]);
  const spikes = detectSpikes(hourly).slice(-20);
  const withContributors = await Promise.all(spikes.map(async (s) => ({ ...s, contributors: await spikeContributors(pool, filters, s) })));
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    bucket,
    totals: { ...totals, denyRate: rate(totals.allow, totals.deny) },
    volume,
    versionRates: [...versions.entries()]
      .map(([sourceRef, v]) => ({ sourceRef: sourceRef || "(unknown)", ...v, denyRate: rate(v.allow, v.deny) }))
      .sort((a, b) => b.allow + b.deny - (a.allow + a.deny)),
    versionMarkers: markers,
    top: { action, kind, principal, agent, policy, resource, tool },
    spikes: withContributors,
  };
}
