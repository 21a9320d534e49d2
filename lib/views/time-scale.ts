// Time axis helpers for the task timeline: a linear scale, readable tick steps from milliseconds to
// weeks, and the zoom window read from the URL (clamped to the task's time span). All UTC.

export interface TimeDomain {
  from: number;
  to: number;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];

export function scaleTime(domain: TimeDomain, width: number): (t: number) => number {
  const span = Math.max(domain.to - domain.from, 1);
  return (t) => ((t - domain.from) / span) * width;
}

export function invertTime(domain: TimeDomain, width: number): (x: number) => number {
  const span = Math.max(domain.to - domain.from, 1);
  return (x) => domain.from + (x / Math.max(width, 1)) * span;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

export function formatTick(t: number, step: number): string {
  const d = new Date(t);
  const hms = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (step >= D) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (step >= M) return hms;
  if (step >= S) return `${hms}:${pad(d.getUTCSeconds())}`;
  return `${hms}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** Ticks on round UTC boundaries, about `target` of them across the domain. */
export function timeTicks(domain: TimeDomain, target = 8): { t: number; label: string }[] {
  const span = Math.max(domain.to - domain.from, 1);
  const step = STEPS.find((s) => span / s <= target) ?? STEPS[STEPS.length - 1];
  const first = Math.ceil(domain.from / step) * step;
  const ticks: { t: number; label: string }[] = [];
  for (let t = first; t <= domain.to && ticks.length < 100; t += step) ticks.push({ t, label: formatTick(t, step) });
  return ticks;
}

/** The task's own span with a little room on both sides, so the first and last marks are not cut. */
export function paddedDomain(times: number[]): TimeDomain {
  if (times.length === 0) return { from: 0, to: 1000 };
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const span = max - min;
  const padding = span === 0 ? 1000 : Math.max(span * 0.03, 1);
  return { from: min - padding, to: max + padding };
}

/** Zoom window from `from`/`to` URL values (ISO or epoch ms), clamped to the domain; null when absent or unusable. */
export function parseZoom(from: string | null | undefined, to: string | null | undefined, domain: TimeDomain): TimeDomain | null {
  const read = (v: string | null | undefined) => {
    if (!v) return null;
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(n) ? n : null;
  };
  const f = read(from);
  const t = read(to);
  if (f === null && t === null) return null;
  const lo = Math.max(f ?? domain.from, domain.from);
  const hi = Math.min(t ?? domain.to, domain.to);
  if (!(hi > lo)) return null;
  if (lo === domain.from && hi === domain.to) return null;
  return { from: lo, to: hi };
}

/** A zoom window centred on `center`, `factor` times the current width (0.5 = zoom in), kept inside the domain. */
export function zoomAround(current: TimeDomain, domain: TimeDomain, center: number, factor: number): TimeDomain | null {
  const full = domain.to - domain.from;
  const width = Math.min(Math.max((current.to - current.from) * factor, 1), full);
  if (width >= full) return null;
  let from = center - width / 2;
  from = Math.min(Math.max(from, domain.from), domain.to - width);
  return { from, to: from + width };
}
