// Go reference-time layouts ("2006-01-02T15:04:05Z07:00") for time.parse_ns and time.format.
import { BuiltinError } from "../errors.ts";
import { MONTHS, WEEKDAYS, fromFields, toCalendar } from "./timeutil.ts";

const TOKENS = ["January", "Monday", "2006", "Jan", "Mon", "MST", "002", "__2", "_2", "01", "02", "03", "04", "05", "06", "15", "PM", "pm", "-07:00:00", "-0700", "-07:00", "-07", "Z07:00:00", "Z0700", "Z07:00", "Z07", "1", "2", "3", "4", "5"];

const TOKENIZED = new Map<string, string[]>();

function tokenize(layout: string): string[] {
  let hit = TOKENIZED.get(layout);
  if (!hit) {
    hit = tokenizeUncached(layout);
    if (TOKENIZED.size > 100) TOKENIZED.clear();
    TOKENIZED.set(layout, hit);
  }
  return hit;
}

function tokenizeUncached(layout: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)/.exec(layout.slice(i));
    if (frac && !/\d/.test(layout[i + frac[0].length] ?? "")) {
      out.push("frac:" + frac[0]);
      i += frac[0].length;
      continue;
    }
    const t = TOKENS.find((tok) => layout.startsWith(tok, i));
    if (t) {
      out.push("tok:" + t);
      i += t.length;
    } else out.push(layout[i++]);
  }
  return out;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

export function formatGoTime(ns: bigint, tz: string, layout: string): string {
  const c = toCalendar(ns, tz);
  let s = "";
  for (const t of tokenize(layout)) {
    if (t.startsWith("frac:")) {
      const spec = t.slice(5);
      const digits = spec.length - 1;
      let f = pad(c.nanos, 9).slice(0, digits);
      if (spec[1] === "9") {
        f = f.replace(/0+$/, "");
        if (f) s += spec[0] + f;
      } else s += spec[0] + f;
      continue;
    }
    if (!t.startsWith("tok:")) {
      s += t;
      continue;
    }
    const off = c.offset;
    const sign = off < 0 ? "-" : "+";
    const oh = pad(Math.floor(Math.abs(off) / 3600), 2);
    const om = pad(Math.floor((Math.abs(off) % 3600) / 60), 2);
    switch (t.slice(4)) {
      case "2006": s += pad(c.year, 4); break;
      case "06": s += pad(c.year % 100, 2); break;
      case "January": s += MONTHS[c.month - 1]; break;
      case "Jan": s += MONTHS[c.month - 1].slice(0, 3); break;
      case "01": s += pad(c.month, 2); break;
      case "1": s += String(c.month); break;
      case "Monday": s += WEEKDAYS[c.weekday]; break;
      case "Mon": s += WEEKDAYS[c.weekday].slice(0, 3); break;
      case "02": s += pad(c.day, 2); break;
      case "_2": s += String(c.day).padStart(2, " "); break;
      case "2": s += String(c.day); break;
      case "15": s += pad(c.hour, 2); break;
      case "03": s += pad(c.hour % 12 || 12, 2); break;
      case "3": s += String(c.hour % 12 || 12); break;
      case "04": s += pad(c.minute, 2); break;
      case "4": s += String(c.minute); break;
      case "05": s += pad(c.second, 2); break;
      case "5": s += String(c.second); break;
      case "PM": s += c.hour >= 12 ? "PM" : "AM"; break;
      case "pm": s += c.hour >= 12 ? "pm" : "am"; break;
      case "MST": s += c.zone; break;
      case "Z07:00": s += off === 0 ? "Z" : `${sign}${oh}:${om}`; break;
      case "Z0700": s += off === 0 ? "Z" : `${sign}${oh}${om}`; break;
      case "Z07": s += off === 0 ? "Z" : `${sign}${oh}`; break;
      case "-07:00": s += `${sign}${oh}:${om}`; break;
      case "-0700": s += `${sign}${oh}${om}`; break;
      case "-07": s += `${sign}${oh}`; break;
      default: s += t.slice(4);
    }
  }
  return s;
}

export function parseGoTime(fn: string, layout: string, value: string): bigint {
  const f = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, offset: 0, pm: undefined as boolean | undefined };
  let i = 0;
  const fail = (): never => {
    throw new BuiltinError(`${fn}: parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse`);
  };
  const digits = (min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value.slice(i));
    if (!m) fail();
    i += m![0].length;
    return Number(m![0]);
  };
  const word = (list: string[], len?: number): number => {
    const idx = list.findIndex((w) => value.slice(i).toLowerCase().startsWith((len ? w.slice(0, len) : w).toLowerCase()));
    if (idx < 0) fail();
    i += len ?? list[idx].length;
    return idx;
  };
  const zone = (colon: boolean, allowZ: boolean) => {
    if (allowZ && value[i] === "Z") {
      i++;
      return;
    }
    const m = (colon ? /^([+-])(\d\d):(\d\d)/ : /^([+-])(\d\d)(\d\d)?/).exec(value.slice(i));
    if (!m) fail();
    i += m![0].length;
    f.offset = (m![1] === "-" ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60);
  };
  for (const t of tokenize(layout)) {
    if (t.startsWith("frac:")) {
      const m = /^[.,](\d+)/.exec(value.slice(i));
      if (m) {
        i += m[0].length;
        f.nanos = Number(m[1].slice(0, 9).padEnd(9, "0"));
      } else if (t[5] === "0" || t[6] === "0") fail();
      continue;
    }
    if (!t.startsWith("tok:")) {
      if (value[i] !== t) fail();
      i++;
      // Go accepts fractional seconds after "05" even when the layout has none.
      continue;
    }
    switch (t.slice(4)) {
      case "2006": f.year = digits(4, 4); break;
      case "06": f.year = 2000 + digits(2, 2); if (f.year >= 2069) f.year -= 100; break;
      case "January": f.month = word(MONTHS) + 1; break;
      case "Jan": f.month = word(MONTHS, 3) + 1; break;
      case "01": f.month = digits(2, 2); break;
      case "1": f.month = digits(1, 2); break;
      case "Monday": word(WEEKDAYS); break;
      case "Mon": word(WEEKDAYS, 3); break;
      case "02": f.day = digits(2, 2); break;
      case "_2": if (value[i] === " ") i++; f.day = digits(1, 2); break;
      case "2": f.day = digits(1, 2); break;
      case "15": f.hour = digits(2, 2); break;
      case "03": f.hour = digits(2, 2); break;
      case "3": f.hour = digits(1, 2); break;
      case "04": f.minute = digits(2, 2); break;
      case "4": f.minute = digits(1, 2); break;
      case "05":
      case "5": {
        f.second = t === "tok:05" ? digits(2, 2) : digits(1, 2);
        const m = /^[.,](\d+)/.exec(value.slice(i));
        if (m && !layout.includes(".0") && !layout.includes(".9")) {
          i += m[0].length;
          f.nanos = Number(m[1].slice(0, 9).padEnd(9, "0"));
        }
        break;
      }
      case "PM": case "pm": f.pm = word(["AM", "PM"]) === 1; break;
      case "MST": { const m = /^[A-Za-z]{3,5}/.exec(value.slice(i)); if (!m) fail(); i += m![0].length; break; }
      case "Z07:00": zone(true, true); break;
      case "Z0700": case "Z07": zone(false, true); break;
      case "-07:00": zone(true, false); break;
      case "-0700": case "-07": zone(false, false); break;
      default: fail();
    }
  }
  if (i !== value.length) fail();
  if (f.pm !== undefined) f.hour = (f.hour % 12) + (f.pm ? 12 : 0);
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 || f.minute > 59 || f.second > 59) {
    throw new BuiltinError(`${fn}: parsing time ${JSON.stringify(value)}: value out of range`);
  }
  return fromFields(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nanos, f.offset);
}
