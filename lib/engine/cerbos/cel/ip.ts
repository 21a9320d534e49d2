// IPv4/IPv6 parsing into 16-byte arrays, as Go's net package does, for inIPAddrRange and the
// Network extension.

export interface ParsedIP {
  bytes: Uint8Array; // 16 bytes; IPv4 as IPv4-mapped IPv6
  v4: boolean;
  zone?: string;
}

function parseV4(s: string): Uint8Array | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseV6(s: string): Uint8Array | null {
  let tail4: Uint8Array | null = null;
  let str = s;
  const lastColon = str.lastIndexOf(":");
  if (str.includes(".")) {
    tail4 = parseV4(str.slice(lastColon + 1));
    if (!tail4) return null;
    str = str.slice(0, lastColon + 1) + "0:0";
  }
  const dbl = str.indexOf("::");
  if (dbl !== str.lastIndexOf("::")) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === "") return [];
    const gs = part.split(":");
    const nums: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      nums.push(parseInt(g, 16));
    }
    return nums;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = groupsOf(str.slice(0, dbl));
    const tail = groupsOf(str.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = groupsOf(str);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail4) out.set(tail4, 12);
  return out;
}

export function parseIP(s: string): ParsedIP | null {
  let zone: string | undefined;
  let str = s;
  const pct = str.indexOf("%");
  if (pct >= 0) {
    zone = str.slice(pct + 1);
    str = str.slice(0, pct);
  }
  if (!str.includes(":")) {
    if (zone !== undefined) return null;
    const v4 = parseV4(str);
    if (!v4) return null;
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(v4, 12);
    return { bytes, v4: true };
  }
  const v6 = parseV6(str);
  return v6 ? { bytes: v6, v4: false, zone } : null;
}

export interface ParsedCIDR {
  ip: ParsedIP;
  prefix: number; // in the address family's bit width
}

export function parseCIDR(s: string): ParsedCIDR | null {
  const slash = s.indexOf("/");
  if (slash < 0) return null;
  const ip = parseIP(s.slice(0, slash));
  const bitsStr = s.slice(slash + 1);
  if (!ip || ip.zone !== undefined || !/^\d{1,3}$/.test(bitsStr)) return null;
  const prefix = Number(bitsStr);
  if (prefix > (ip.v4 ? 32 : 128)) return null;
  return { ip, prefix };
}

/** True when `ip` is inside `cidr`. An IPv4 address matches an IPv4 range only, as in Go. */
export function cidrContains(cidr: ParsedCIDR, ip: ParsedIP): boolean {
  const offset = cidr.ip.v4 ? 12 : 0;
  if (cidr.ip.v4 && !isV4Mapped(ip.bytes)) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((cidr.ip.bytes[offset + i]! & mask) !== (ip.bytes[offset + i]! & mask)) return false;
  }
  return true;
}

export function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

export function formatIP(ip: ParsedIP): string {
  if (ip.v4) return Array.from(ip.bytes.slice(12)).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  // Compress the longest run of zero groups (length >= 2), as Go does.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  let out: string;
  if (bestStart < 0) out = hex.join(":");
  else out = hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLen).join(":");
  return ip.zone ? `${out}%${ip.zone}` : out;
}
