// Time helpers: nanosecond timestamps (bigint) ↔ calendar fields in a time zone, via Intl.
import { BuiltinError } from "../errors.ts";
import type { Value } from "../values/value.ts";

export const MIN_NS = -(2n ** 63n);
export const MAX_NS = 2n ** 63n - 1n;

export interface Calendar {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number;
  /** Offset from UTC in seconds. */
  offset: number;
  zone: string;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", timeZoneName: "short" });
    } catch {
      throw new BuiltinError(`unknown time zone ${tz}`);
    }
    FORMATTERS.set(tz, f);
  }
  return f;
}

/** Splits a timestamp into calendar fields in `tz` (IANA name, "UTC" or "" for UTC). */
export function toCalendar(ns: bigint, tz = "UTC"): Calendar {
  let ms = Number(ns / 1_000_000n);
  let nanos = Number(ns % 1_000_000_000n);
  if (nanos < 0) {
    nanos += 1_000_000_000;
  }
  if (ns < 0n && ns % 1_000_000n !== 0n) ms -= 1;
  let offset = 0;
  let zone = "UTC";
  if (tz && tz !== "UTC" && tz !== "Local") {
    const parts = formatter(tz).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
    zone = parts.find((p) => p.type === "timeZoneName")?.value ?? tz;
  }
  const d = new Date(ms + offset * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos,
    weekday: d.getUTCDay(),
    offset,
    zone,
  };
}

/** Reads `ns` or `[ns, tz]` (and optional layout) arguments of time.date/clock/format. */
export function timeArg(fn: string, v: Value): { ns: bigint; tz: string; layout?: string } {
  if (Array.isArray(v)) {
    const [n, tz, layout] = v;
    return { ns: toNs(fn, n), tz: typeof tz === "string" ? tz : "UTC", layout: typeof layout === "string" ? layout : undefined };
  }
  return { ns: toNs(fn, v), tz: "UTC" };
}

export function toNs(fn: string, v: Value): bigint {
  if (typeof v === "bigint") {
    if (v < MIN_NS || v > MAX_NS) throw new BuiltinError(`${fn}: timestamp too big`);
    return v;
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v) || Math.abs(v) > 9.223372036854776e18) throw new BuiltinError(`${fn}: timestamp too big`);
    return BigInt(Math.trunc(v));
  }
  throw new BuiltinError(`${fn}: operand 1 must be number but got ${typeof v}`, "eval_type_error");
}

export function checkRange(fn: string, ns: bigint): bigint {
  if (ns < MIN_NS || ns > MAX_NS) throw new BuiltinError(`${fn}: time outside of valid range`);
  return ns;
}

/** Nanoseconds since the epoch for a UTC calendar instant. */
export function fromFields(year: number, month: number, day: number, hour: number, minute: number, second: number, nanos: number, offsetSeconds: number): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return (BigInt(d.getTime()) - BigInt(offsetSeconds) * 1000n) * 1_000_000n + BigInt(nanos);
}

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
