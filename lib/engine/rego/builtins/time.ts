// time.* built-ins on nanosecond timestamps. time.now_ns comes from the recorded
// nd_builtin_cache when present, else the evaluation's fixed `now`, so replays are deterministic.
import { BuiltinError } from "../errors.ts";
import { normalizeNumber } from "../values/value.ts";
import { num, register, str } from "./registry.ts";
import { WEEKDAYS, checkRange, fromFields, timeArg, toCalendar, toNs } from "./timeutil.ts";
import { formatGoTime, parseGoTime } from "./timelayout.ts";

register(
  "time.now_ns",
  0,
  (_a, ctx) => {
    const cached = ctx.ndCache?.get("time.now_ns")?.get("[]");
    return cached ?? normalizeNumber(ctx.nowNs);
  },
  { nondeterministic: true },
);

const RFC3339 = "2006-01-02T15:04:05Z07:00";
register("time.parse_rfc3339_ns", 1, (a) => normalizeNumber(checkRange("time.parse_rfc3339_ns", parseGoTime("time.parse_rfc3339_ns", RFC3339, str("time.parse_rfc3339_ns", a, 0)))));
register("time.parse_ns", 2, (a) => {
  const layout = str("time.parse_ns", a, 0);
  return normalizeNumber(checkRange("time.parse_ns", parseGoTime("time.parse_ns", GO_LAYOUTS[layout] ?? layout, str("time.parse_ns", a, 1))));
});

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, "µs": 1000n, "μs": 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
register("time.parse_duration_ns", 1, (a) => {
  const s = str("time.parse_duration_ns", a, 0);
  if (s === "0") return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) throw new BuiltinError(`time.parse_duration_ns: time: invalid duration ${JSON.stringify(s)}`);
  let total = 0n;
  for (const part of s.replace(/^[+-]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const [whole, frac = ""] = part[1].split(".");
    const unit = UNITS[part[2]];
    total += BigInt(whole || "0") * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
  }
  return normalizeNumber(m[1] === "-" ? -total : total);
});

register("time.date", 1, ([v]) => {
  const { ns, tz } = timeArg("time.date", v);
  const c = toCalendar(ns, tz);
  return [c.year, c.month, c.day];
});
register("time.clock", 1, ([v]) => {
  const { ns, tz } = timeArg("time.clock", v);
  const c = toCalendar(ns, tz);
  return [c.hour, c.minute, c.second];
});
register("time.weekday", 1, ([v]) => {
  const { ns, tz } = timeArg("time.weekday", v);
  return WEEKDAYS[toCalendar(ns, tz).weekday];
});
register("time.add_date", 4, (a) => {
  const ns = toNs("time.add_date", a[0]);
  const c = toCalendar(ns);
  const y = Number(num("time.add_date", a, 1));
  const mo = Number(num("time.add_date", a, 2));
  const d = Number(num("time.add_date", a, 3));
  const out = fromFields(c.year + y, c.month + mo, c.day + d, c.hour, c.minute, c.second, c.nanos, 0);
  return normalizeNumber(checkRange("time.add_date", out));
});
register("time.diff", 2, ([a, b]) => {
  const x = timeArg("time.diff", a);
  const y = timeArg("time.diff", b);
  // Both instants are compared in the first argument's time zone.
  let c1 = toCalendar(x.ns, x.tz);
  let c2 = toCalendar(y.ns, x.tz);
  if (x.ns > y.ns) [c1, c2] = [c2, c1];
  // Go-style field-wise difference with borrowing (as OPA's implementation).
  let years = c2.year - c1.year;
  let months = c2.month - c1.month;
  let days = c2.day - c1.day;
  let hours = c2.hour - c1.hour;
  let minutes = c2.minute - c1.minute;
  let seconds = c2.second - c1.second;
  if (seconds < 0) (seconds += 60), minutes--;
  if (minutes < 0) (minutes += 60), hours--;
  if (hours < 0) (hours += 24), days--;
  if (days < 0) {
    days += new Date(Date.UTC(c1.year, c1.month, 0)).getUTCDate();
    months--;
  }
  if (months < 0) (months += 12), years--;
  return [years, months, days, hours, minutes, seconds];
});
register("time.format", 1, ([v]) => {
  const { ns, tz, layout } = timeArg("time.format", v);
  return formatGoTime(ns, tz, GO_LAYOUTS[layout ?? ""] ?? layout ?? "2006-01-02T15:04:05.999999999Z07:00");
});

// Go's named layouts, accepted by time.format and time.parse_ns.
const GO_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};
