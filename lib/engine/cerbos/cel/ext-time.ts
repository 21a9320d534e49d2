// Timestamp getters with a time zone argument that is either an IANA name or a fixed
// "±HH:MM" offset (cel-go accepts both; the library only IANA names). Durations keep their getters.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { formatDuration, formatTimestamp } from "./values.ts";
import { TIME_GETTER_PREFIX, TIMESTAMP_FUNCTION } from "./source-rewrite.ts";

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's time.Parse(time.RFC3339, s), as cel-go's timestamp() conversion uses it. */
export function parseRfc3339(s: string): Date {
  const m = RFC3339.exec(s);
  const d = m ? new Date(s.replace(/t/, "T").replace(/z$/, "Z")) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || Number(m[2]) > 12 || Number(m[3]) > 31 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) {
    throw new CelRuntimeError(`invalid RFC 3339 timestamp ${JSON.stringify(s)}`);
  }
  return d;
}

interface Parts {
  year: number;
  month: number; // 0-based
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(d: Date, tz: string | undefined): Parts {
  if (tz === undefined || tz === "UTC") return utcParts(d);
  const offset = /^([+-])?(\d{1,2}):(\d{2})$/.exec(tz);
  if (offset) {
    const sign = offset[1] === "-" ? -1 : 1;
    const mins = sign * (Number(offset[2]) * 60 + Number(offset[3]));
    return utcParts(new Date(d.getTime() + mins * 60_000));
  }
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new CelRuntimeError(`unknown time zone ${tz}`);
    }
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(d)) if (part.type !== "literal") p[part.type] = Number(part.value);
  const local = new Date(Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!, d.getUTCMilliseconds()));
  return utcParts(local);
}

function utcParts(d: Date): Parts {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

function dayOfYear(p: Parts): number {
  return Math.round((Date.UTC(p.year, p.month, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000);
}

const GETTERS: Record<string, (p: Parts) => number> = {
  getFullYear: (p) => p.year,
  getMonth: (p) => p.month,
  getDayOfYear: dayOfYear,
  getDayOfMonth: (p) => p.day - 1,
  getDate: (p) => p.day,
  getDayOfWeek: (p) => p.weekday,
  getHours: (p) => p.hour,
  getMinutes: (p) => p.minute,
  getSeconds: (p) => p.second,
  getMilliseconds: (p) => p.ms,
};

const DURATION_GETTERS = ["getHours", "getMinutes", "getSeconds", "getMilliseconds"];

export function registerTime(env: Environment): void {
  const TS = "google.protobuf.Timestamp";
  env
    .registerFunction(`${TIMESTAMP_FUNCTION}(string): ${TS}`, parseRfc3339)
    .registerFunction(`${TIMESTAMP_FUNCTION}(${TS}): ${TS}`, (d: Date) => d)
    .registerFunction(`${TIMESTAMP_FUNCTION}(int): ${TS}`, (n: bigint) => new Date(Number(n) * 1000))
    .registerFunction(`int(${TS}): int`, (d: Date) => BigInt(Math.floor(d.getTime() / 1000)))
    .registerFunction(`string(${TS}): string`, (d: Date) => formatTimestamp(d))
    .registerFunction("string(google.protobuf.Duration): string", (d: { seconds: bigint; nanos: number }) => formatDuration(d));
  for (const [name, get] of Object.entries(GETTERS)) {
    const fn = `${TIME_GETTER_PREFIX}${name}`;
    env.registerFunction(`${TS}.${fn}(): int`, (d: Date) => BigInt(get(partsIn(d, undefined))));
    env.registerFunction(`${TS}.${fn}(string): int`, (d: Date, tz: string) => BigInt(get(partsIn(d, tz))));
  }
  for (const name of DURATION_GETTERS) {
    env.registerFunction(`google.protobuf.Duration.${TIME_GETTER_PREFIX}${name}(): int`, (d: { [k: string]: () => bigint }) =>
      d[name]!(),
    );
  }
}
