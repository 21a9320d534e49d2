// net.cidr_* built-ins on IPv4/IPv6 addresses held as bigints.
import { BuiltinError, NotReplayableError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, typeName } from "../values/value.ts";
import { register, str } from "./registry.ts";

interface Cidr {
  v6: boolean;
  addr: bigint;
  bits: number;
}

function parseIp(s: string): { v6: boolean; addr: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split(".").map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, addr: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(":")) return undefined;
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4) {
    const p = parseIp(v4[1]);
    if (!p) return undefined;
    tail = [Number(p.addr >> 16n), Number(p.addr & 0xffffn)];
    text = text.slice(0, -v4[1].length) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h ? h.split(":").map((x) => (/^[0-9a-fA-F]{1,4}$/.test(x) ? parseInt(x, 16) : NaN)) : []);
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if ([...head, ...rest].some(Number.isNaN)) return undefined;
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill(0), ...rest];
  if (v4) groups.splice(6, 2, ...tail);
  return { v6: true, addr: groups.reduce((a, g) => (a << 16n) | BigInt(g), 0n) };
}

function parseCidr(fn: string, s: string): Cidr {
  const [ip, len] = s.split("/");
  const p = parseIp(ip);
  const max = p?.v6 ? 128 : 32;
  const bits = len === undefined ? max : /^\d+$/.test(len) ? Number(len) : NaN;
  if (!p || !(bits >= 0 && bits <= max)) throw new BuiltinError(`${fn}: invalid CIDR address: ${s}`);
  return { ...p, bits };
}

function size(c: Cidr): number {
  return c.v6 ? 128 : 32;
}
function network(c: Cidr): bigint {
  const host = size(c) - c.bits;
  return (c.addr >> BigInt(host)) << BigInt(host);
}
function last(c: Cidr): bigint {
  return network(c) + (1n << BigInt(size(c) - c.bits)) - 1n;
}
function contains(a: Cidr, b: Cidr): boolean {
  return a.v6 === b.v6 && network(b) >= network(a) && last(b) <= last(a);
}
function formatIp(v6: boolean, addr: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((addr >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return hex.slice(0, best).join(":") + "::" + hex.slice(best + bestLen).join(":");
}

register("net.cidr_contains", 2, (a) => contains(parseCidr("net.cidr_contains", str("net.cidr_contains", a, 0)), parseCidr("net.cidr_contains", str("net.cidr_contains", a, 1))));
register("net.cidr_intersects", 2, (a) => {
  const x = parseCidr("net.cidr_intersects", str("net.cidr_intersects", a, 0));
  const y = parseCidr("net.cidr_intersects", str("net.cidr_intersects", a, 1));
  return x.v6 === y.v6 && network(x) <= last(y) && network(y) <= last(x);
});
register("net.cidr_overlap", 2, (a) => contains(parseCidr("net.cidr_overlap", str("net.cidr_overlap", a, 0)), parseCidr("net.cidr_overlap", str("net.cidr_overlap", a, 1))));
register("net.cidr_is_valid", 1, ([s]) => {
  if (typeof s !== "string" || !s.includes("/")) return false;
  try {
    parseCidr("net.cidr_is_valid", s);
    return true;
  } catch {
    return false;
  }
});
register("net.cidr_expand", 1, (a) => {
  const c = parseCidr("net.cidr_expand", str("net.cidr_expand", a, 0));
  if (size(c) - c.bits > 16) throw new BuiltinError("net.cidr_expand: CIDR too large to expand");
  const out = new RegoSet();
  for (let x = network(c); x <= last(c); x++) out.add(formatIp(c.v6, x));
  return out;
});

function cidrEntries(fn: string, v: Value, pos: number): [Value, string][] {
  if (typeof v === "string") return [[v, v]];
  const check = (x: Value, k: Value): [Value, string] => {
    if (typeof x === "string") return [k, x];
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === "string") return [k, x[0]];
    throw new BuiltinError(`${fn}: operand ${pos}: element must be string or non-empty array`);
  };
  if (Array.isArray(v)) return v.map((x, i) => check(x, i));
  if (v instanceof RegoSet) return v.sorted().map((x) => check(x, x));
  if (v instanceof RegoObject) return v.sortedEntries().map(([k, x]) => check(x, k));
  throw new BuiltinError(`${fn}: operand ${pos} must be one of {string, array, set, object} but got ${typeName(v)}`, "eval_type_error");
}

register("net.cidr_contains_matches", 2, ([a, b]) => {
  const fn = "net.cidr_contains_matches";
  const out = new RegoSet();
  const xs = cidrEntries(fn, a, 1);
  const ys = cidrEntries(fn, b, 2);
  for (const [ka, ca] of xs) for (const [kb, cb] of ys) if (contains(parseCidr(fn, ca), parseCidr(fn, cb))) out.add([ka, kb]);
  return out;
});
register("net.cidr_merge", 1, ([v]) => {
  const fn = "net.cidr_merge";
  const items = Array.isArray(v) ? v : v instanceof RegoSet ? v.sorted() : undefined;
  if (!items) throw new BuiltinError(`${fn}: operand 1 must be one of {array, set} but got ${typeName(v)}`, "eval_type_error");
  const cidrs = items.map((x) => {
    if (typeof x !== "string") throw new BuiltinError(`${fn}: operand 1 must be array of strings`, "eval_type_error");
    if (x.includes(":") && !x.includes("/")) throw new BuiltinError(`${fn}: IPv6 invalid: needs prefix length`);
    const c = parseCidr(fn, x);
    return { ...c, addr: network(c) };
  });
  let merged = true;
  let list = cidrs;
  while (merged) {
    merged = false;
    list = list.filter((c, i) => !list.some((d, j) => j !== i && contains(d, c) && (!contains(c, d) || j < i)));
    for (let i = 0; i < list.length && !merged; i++) {
      for (let j = i + 1; j < list.length && !merged; j++) {
        const a = list[i];
        const b = list[j];
        if (a.v6 === b.v6 && a.bits === b.bits && a.bits > 0) {
          const parent = { v6: a.v6, bits: a.bits - 1, addr: 0n };
          parent.addr = network({ ...parent, addr: a.addr });
          if (contains(parent, b) && a.addr !== b.addr) {
            list = [...list.filter((_, k) => k !== i && k !== j), parent];
            merged = true;
          }
        }
      }
    }
  }
  return RegoSet.from(list.map((c) => `${formatIp(c.v6, c.addr)}/${c.bits}`));
});
register("net.lookup_ip_addr", 1, (a, ctx) => {
  const cached = ctx.ndCache?.get("net.lookup_ip_addr")?.get(JSON.stringify([str("net.lookup_ip_addr", a, 0)]));
  if (cached !== undefined) return cached;
  throw new NotReplayableError("net.lookup_ip_addr: not recorded in nd_builtin_cache; the replay is not faithful without it");
}, { nondeterministic: true });
