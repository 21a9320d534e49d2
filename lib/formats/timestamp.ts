// RFC 3339 timestamps as Cerbos (protojson) and OPA (Go time.Time) write them: up to nanosecond
// fractions, 'Z' or a numeric offset. Date keeps milliseconds; the full-precision text stays in `entry`.
// Date.parse is not used because it accepts many non-RFC-3339 shapes and varies by runtime.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Returns the instant, or a reason why `text` is not an RFC 3339 timestamp. */
export function parseRfc3339(text: string): Date | string {
  const m = RFC3339.exec(text);
  if (!m) return `"${text.slice(0, 40)}" is not an RFC 3339 timestamp (e.g. 2026-11-23T18:19:58.393174653Z)`;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    return `"${text}" is not a valid date/time`;
  }
  // There is no year 0 in the calendar Postgres stores (it once failed the whole batch with a 500).
  if (year === 0) return `"${text}" has year 0000, which does not exist (the first year is 0001)`;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== "Z" && zone !== "z") {
    const sign = zone[0] === "-" ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  // A leap second (:60) is folded onto the next second, as Go and most databases do.
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC maps years 0–99 to 1900–1999; Go's zero time (0001-01-01T00:00:00Z) must stay year 1.
  if (year < 100) local.setUTCFullYear(year);
  const instant = new Date(local.getTime() - offsetMinutes * 60_000);
  // An offset can push the edge years out of 0001–9999 in UTC, where hourly buckets stop being RFC 3339.
  const utcYear = instant.getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) return `"${text}" is outside the years 0001–9999 in UTC`;
  return instant;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
