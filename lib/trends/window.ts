// Splits a trend query's time window into the part the hourly rollup answers exactly (whole hours) and
// the partial hours at its edges, which are counted from raw hops. So a window like 10:20–14:05 is exact
// yet costs two small index range scans plus a rollup read.
import type { ExplorerFilters } from "../explorer/query-params.ts";
import { parseUtcDateTime } from "../explorer/query-params.ts";

const HOUR = 3_600_000;

export interface TimeWindow {
  from: Date;
  /** Exclusive end. */
  to: Date;
}

export interface WindowPlan {
  /** Whole hours [from, to) read from hop_rollup; null when the window has no whole hour. */
  rollup: TimeWindow | null;
  /** Partial hours read from hops. */
  raw: TimeWindow[];
}

/** The filters' window, with the explorer's reading of `to` (a minute or a date includes that whole minute or day). */
export function windowFromFilters(filters: ExplorerFilters, fallback: TimeWindow): TimeWindow {
  const from = filters.from ? parseUtcDateTime(filters.from) : null;
  let to = filters.to ? parseUtcDateTime(filters.to) : null;
  if (to && filters.to) {
    const text = filters.to.replace(" ", "T");
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) to = new Date(to.getTime() + 86_400_000);
    else if (/T\d{2}:\d{2}$/.test(text)) to = new Date(to.getTime() + 60_000);
    else to = new Date(to.getTime() + 1); // inclusive instant → exclusive bound
  }
  return { from: from ?? fallback.from, to: to ?? fallback.to };
}

export function floorHour(d: Date): Date {
  return new Date(Math.floor(d.getTime() / HOUR) * HOUR);
}

export function ceilHour(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / HOUR) * HOUR);
}

export function planWindow(w: TimeWindow): WindowPlan {
  const start = ceilHour(w.from);
  const end = floorHour(w.to);
  if (start >= end) return { rollup: null, raw: w.from < w.to ? [w] : [] };
  const raw: TimeWindow[] = [];
  if (w.from < start) raw.push({ from: w.from, to: start });
  if (end < w.to) raw.push({ from: end, to: w.to });
  return { rollup: { from: start, to: end }, raw };
}
