// Display formatting shared by server pages and client components. Times are always shown in UTC
// (investigators compare logs from machines in different zones); relative time goes in a title.

const NUMBER = new Intl.NumberFormat("en-US");

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

const trimZero = (s: string) => s.replace(/\.0$/, "");

export function formatBytes(n: number): string {
  if (n < 1024) return `${formatNumber(n)} B`;
  if (n < 1024 * 1024) return `${trimZero((n / 1024).toFixed(1))} KiB`;
  if (n < 1024 * 1024 * 1024) return `${trimZero((n / 1024 / 1024).toFixed(1))} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** "2026-11-23 18:19:58.393 UTC" from an ISO string; keeps microseconds out of the table, not out of the data. */
export function formatUtc(iso: string, precision: "ms" | "us" = "ms"): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(iso);
  if (!m) return iso;
  const fraction = (m[3] ?? "").padEnd(6, "0").slice(0, precision === "ms" ? 3 : 6);
  return `${m[1]} ${m[2]}.${fraction} UTC`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 hours ago" relative to `nowMs`, which the server passes down so server and client render the same text. */
export function formatRelative(iso: string, nowMs: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const seconds = Math.round((t - nowMs) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return RELATIVE.format(Math.round(seconds / size), unit);
  }
  return "";
}
