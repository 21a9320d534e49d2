// cel-go ext.Network: ip(), cidr(), isIP(), isCIDR() and the IP/CIDR methods.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { registerNamespace } from "./namespace.ts";
import { cidrContains, formatIP, isV4Mapped, parseCIDR, parseIP, type ParsedCIDR, type ParsedIP } from "./ip.ts";

export class IPAddress {
  constructor(readonly ip: ParsedIP) {}
  toString(): string {
    return formatIP(this.ip);
  }
}

export class CIDRRange {
  constructor(readonly cidr: ParsedCIDR) {}
  toString(): string {
    return `${formatIP(this.cidr.ip)}/${this.cidr.prefix}`;
  }
}

function toIP(s: string): IPAddress {
  const ip = parseIP(s);
  if (!ip || ip.zone !== undefined) throw new CelRuntimeError(`IP Address '${s}' parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): unable to parse IP`);
  return new IPAddress(ip);
}

function toCIDR(s: string): CIDRRange {
  const c = parseCIDR(s);
  if (!c) throw new CelRuntimeError(`network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): invalid prefix`);
  return new CIDRRange(c);
}

function masked(c: ParsedCIDR): ParsedCIDR {
  const bytes = new Uint8Array(c.ip.bytes);
  const offset = c.ip.v4 ? 12 : 0;
  let bits = c.prefix;
  for (let i = offset; i < 16; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    bytes[i] = bytes[i]! & mask;
  }
  return { ip: { bytes, v4: c.ip.v4 }, prefix: c.prefix };
}

function sameFamilyContains(c: ParsedCIDR, ip: ParsedIP): boolean {
  if (c.ip.v4 !== ip.v4) return false;
  return cidrContains(c, ip);
}

const b = (ip: ParsedIP) => ip.bytes;

export function registerNetwork(env: Environment): void {
  const ns = registerNamespace(env, "ip");
  env.registerFunction(`${ns}.isCanonical(string): bool`, (_: unknown, s: string) => {
    const ip = parseIP(s);
    if (!ip || ip.zone !== undefined) throw new CelRuntimeError(`IP Address '${s}' parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): unable to parse IP`);
    return formatIP(ip) === s;
  });
  const IP = "net.IP";
  const CIDR = "net.CIDR";
  env
    .registerType(IP, IPAddress)
    .registerType(CIDR, CIDRRange)
    .registerFunction(`ip(string): ${IP}`, toIP)
    .registerFunction(`cidr(string): ${CIDR}`, toCIDR)
    .registerFunction("isIP(string): bool", (s: string) => {
      const ip = parseIP(s);
      return !!ip && ip.zone === undefined;
    })
    .registerFunction("isCIDR(string): bool", (s: string) => parseCIDR(s) !== null)
    .registerFunction(`string(${IP}): string`, (x: IPAddress) => x.toString())
    .registerFunction(`string(${CIDR}): string`, (x: CIDRRange) => x.toString())
    .registerFunction(`${IP}.family(): int`, (x: IPAddress) => (x.ip.v4 ? 4n : 6n))
    .registerFunction(`${IP}.isUnspecified(): bool`, (x: IPAddress) =>
      x.ip.v4 ? b(x.ip).slice(12).every((v) => v === 0) : b(x.ip).every((v) => v === 0),
    )
    .registerFunction(`${IP}.isLoopback(): bool`, (x: IPAddress) =>
      x.ip.v4 ? b(x.ip)[12] === 127 : b(x.ip).slice(0, 15).every((v) => v === 0) && b(x.ip)[15] === 1,
    )
    .registerFunction(`${IP}.isLinkLocalMulticast(): bool`, (x: IPAddress) =>
      x.ip.v4 ? b(x.ip)[12] === 224 && b(x.ip)[13] === 0 && b(x.ip)[14] === 0 : b(x.ip)[0] === 0xff && (b(x.ip)[1]! & 0x0f) === 0x02,
    )
    .registerFunction(`${IP}.isLinkLocalUnicast(): bool`, (x: IPAddress) =>
      x.ip.v4 ? b(x.ip)[12] === 169 && b(x.ip)[13] === 254 : b(x.ip)[0] === 0xfe && (b(x.ip)[1]! & 0xc0) === 0x80,
    )
    .registerFunction(`${IP}.isGlobalUnicast(): bool`, (x: IPAddress) => {
      const v = b(x.ip);
      if (x.ip.v4) {
        if (v[12] === 255 && v[13] === 255 && v[14] === 255 && v[15] === 255) return false;
        if (v[12] === 0 || v[12] === 127 || (v[12] === 169 && v[13] === 254) || v[12]! >= 224) return false;
        return true;
      }
      if (v.every((x2) => x2 === 0) || v[0] === 0xff || (v[0] === 0xfe && (v[1]! & 0xc0) === 0x80)) return false;
      if (v.slice(0, 15).every((x2) => x2 === 0) && v[15] === 1) return false;
      return !isV4Mapped(v);
    })
    .registerOperator(`${IP} == ${IP}`, (a: IPAddress, c: IPAddress) => a.toString() === c.toString())
    .registerOperator(`${CIDR} == ${CIDR}`, (a: CIDRRange, c: CIDRRange) => a.toString() === c.toString())
    .registerFunction(`${CIDR}.containsIP(${IP}): bool`, (c: CIDRRange, ip: IPAddress) => sameFamilyContains(c.cidr, ip.ip))
    .registerFunction(`${CIDR}.containsIP(string): bool`, (c: CIDRRange, s: string) => sameFamilyContains(c.cidr, toIP(s).ip))
    .registerFunction(`${CIDR}.containsCIDR(${CIDR}): bool`, (c: CIDRRange, o: CIDRRange) =>
      o.cidr.prefix >= c.cidr.prefix && sameFamilyContains(c.cidr, o.cidr.ip),
    )
    .registerFunction(`${CIDR}.containsCIDR(string): bool`, (c: CIDRRange, s: string) => {
      const o = toCIDR(s);
      return o.cidr.prefix >= c.cidr.prefix && sameFamilyContains(c.cidr, o.cidr.ip);
    })
    .registerFunction(`${CIDR}.ip(): ${IP}`, (c: CIDRRange) => new IPAddress(c.cidr.ip))
    .registerFunction(`${CIDR}.masked(): ${CIDR}`, (c: CIDRRange) => new CIDRRange(masked(c.cidr)))
    .registerFunction(`${CIDR}.prefixLength(): int`, (c: CIDRRange) => BigInt(c.cidr.prefix))
    .registerFunction(`${CIDR}.isMask(): bool`, (c: CIDRRange) => formatIP(masked(c.cidr).ip) === formatIP(c.cidr.ip));
}
