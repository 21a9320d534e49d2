// units.parse and units.parse_bytes with exact decimal arithmetic (results can exceed 2^53).
import { BuiltinError } from "../errors.ts";
import { normalizeNumber, type Value } from "../values/value.ts";
import { register, str } from "./registry.ts";

const DECIMAL: Record<string, bigint> = { k: 10n ** 3n, m: 10n ** 6n, g: 10n ** 9n, t: 10n ** 12n, p: 10n ** 15n, e: 10n ** 18n };
const BINARY: Record<string, bigint> = { ki: 2n ** 10n, mi: 2n ** 20n, gi: 2n ** 30n, ti: 2n ** 40n, pi: 2n ** 50n, ei: 2n ** 60n };

/** A decimal as numerator / 10^scale. */
function parseDecimal(s: string): { num: bigint; scale: number } | undefined {
  const m = /^(-?)(\d*)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(s);
  if (!m || (!m[2] && !m[3])) return undefined;
  const neg = m[1] === "-";
  m.splice(1, 1);
  const frac = m[2] ?? "";
  let num = BigInt((m[1] || "0") + frac);
  let scale = frac.length - Number(m[3] ?? 0);
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { num: neg ? -num : num, scale };
}

function toValue(num: bigint, scale: number, integral: boolean): Value {
  const div = 10n ** BigInt(scale);
  if (num % div === 0n) return normalizeNumber(num / div);
  if (integral) return normalizeNumber(num / div);
  return Number(num) / Number(div);
}

function split(fn: string, s: string, what: string): [string, string] {
  if (s.includes(" ")) throw new BuiltinError(`${fn}: spaces not allowed in resource strings`);
  const m = /^(-?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)(.*)$/.exec(s.replace(/^"|"$/g, ""))!;
  let [, amount, unit] = m;
  // "5E": a bare exponent marker is the exa unit, not scientific notation.
  if (!amount) throw new BuiltinError(`${fn}: no ${what} provided`);
  if (/[\d.]/.test(unit)) throw new BuiltinError(`${fn}: could not parse ${what} to a number`);
  if (/[eE]$/.test(amount)) {
    unit = amount.slice(-1) + unit;
    amount = amount.slice(0, -1);
  }
  return [amount, unit];
}

register("units.parse", 1, (a) => {
  const s = str("units.parse", a, 0);
  const [amount, unit] = split("units.parse", s, "amount");
  const d = parseDecimal(amount);
  if (!d) throw new BuiltinError("units.parse: could not parse amount to a number");
  let { num, scale } = d;
  if (unit === "m") scale += 3;
  else if (unit) {
    const lower = unit.toLowerCase();
    const mult = BINARY[lower] ?? (unit.length === 1 ? DECIMAL[lower] : undefined);
    if (!mult) throw new BuiltinError(`units.parse: unknown unit ${unit}`);
    num *= mult;
  }
  return toValue(num, scale, false);
});

register("units.parse_bytes", 1, (a) => {
  const s = str("units.parse_bytes", a, 0);
  const [amount, unit] = split("units.parse_bytes", s, "byte amount");
  const d = parseDecimal(amount);
  if (!d) throw new BuiltinError("units.parse_bytes: could not parse byte amount to a number");
  let { num } = d;
  const lower = unit.toLowerCase().replace(/b$/, "");
  if (lower) {
    const mult = BINARY[lower] ?? DECIMAL[lower];
    if (!mult) throw new BuiltinError(`units.parse_bytes: byte unit ${unit} not recognized`);
    num *= mult;
  }
  return toValue(num, d.scale, true);
});
