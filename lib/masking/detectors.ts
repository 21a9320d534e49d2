// Value-based detectors: sensitive values found by what they look like rather than where they sit, so a
// PDP field nobody listed (an e-mail as a principal id, a client address in a custom header) is still
// masked. Each detector looks at a WHOLE string value (allowing the usual decorations: a port after an
// address, "Name <address>", a "Bearer " prefix, a comma-separated forwarding list), never at
// substrings inside free text: timestamps, hashes, ULIDs and trace ids are full of digits, dots and
// colons, and substring matching would mask half a record. Free text that embeds a value needs a path
// rule. Pure and portable (no node:net): the same code runs wherever masking runs.

export const DETECTORS = ["email", "ip", "jwt", "bearer"] as const;
export type Detector = (typeof DETECTORS)[number];

export const DETECTOR_HELP: Record<Detector, string> = {
  email: 'an e-mail address ("alice@example.com", "Alice <alice@example.com>", "mailto:…")',
  ip: 'an IPv4 or IPv6 address, optionally with a port ("10.0.0.7:443", "[2001:db8::1]:443") or as a comma-separated forwarding list',
  jwt: "a compact JWT or JWE (header and payload start with eyJ), optionally after \"Bearer \"",
  bearer: 'an HTTP credential: "Bearer …", "Basic …", "DPoP …", "Negotiate …" followed by a token',
};

const EMAIL = /^(?:mailto:)?[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
const NAMED_EMAIL = /^[^<>]*<([^<>\s]+)>$/;

// Each test starts with a cheap character check: detectors run on every string of every record.
export function isEmail(value: string): boolean {
  if (value.length > 320 || !value.includes("@")) return false;
  const named = NAMED_EMAIL.exec(value.trim());
  return EMAIL.test(named ? named[1] : value.trim());
}

const IPV4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);

export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

/** RFC 4291 text forms: 8 groups, or fewer with one "::", optionally an embedded IPv4 tail and a zone. */
export function isIPv6(value: string): boolean {
  let v = value;
  const zone = v.indexOf("%");
  if (zone >= 0) {
    if (zone === v.length - 1) return false;
    v = v.slice(0, zone);
  }
  if (!v.includes(":") || v.length > 45) return false;
  let maxGroups = 8;
  const lastColon = v.lastIndexOf(":");
  const tail = v.slice(lastColon + 1);
  if (tail.includes(".")) {
    // "::ffff:192.0.2.1": the dotted tail takes the place of two groups.
    if (!isIPv4(tail)) return false;
    maxGroups = 6;
    v = v.slice(0, lastColon + 1);
    if (!v.endsWith("::")) v = v.slice(0, -1);
  }
  const halves = v.split("::");
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const all = [...groups(halves[0]), ...(halves.length === 2 ? groups(halves[1]) : [])];
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  // "::" stands for at least one zero group.
  return halves.length === 2 ? all.length <= maxGroups - 1 : all.length === maxGroups;
}

function isOneAddress(raw: string): boolean {
  const v = raw.trim();
  if (isIPv4(v) || isIPv6(v)) return true;
  const v4port = /^(.+):(\d{1,5})$/.exec(v);
  if (v4port && isIPv4(v4port[1]) && Number(v4port[2]) <= 65535) return true;
  const v6port = /^\[(.+)\](?::(\d{1,5}))?$/.exec(v);
  if (v6port && isIPv6(v6port[1]) && (v6port[2] === undefined || Number(v6port[2]) <= 65535)) return true;
  return false;
}

export function isIpAddress(value: string): boolean {
  if (value.length > 2000 || !/^\s*[[0-9A-Fa-f:]/.test(value) || !(value.includes(".") || value.includes(":"))) return false;
  // X-Forwarded-For and Cerbos peer.forwardedFor carry lists.
  return value.split(",").every(isOneAddress);
}

const B64URL = "[A-Za-z0-9_-]";
const JWS = new RegExp(`^eyJ${B64URL}+\\.eyJ${B64URL}+\\.${B64URL}*$`);
const JWE = new RegExp(`^eyJ${B64URL}+\\.${B64URL}*\\.${B64URL}+\\.${B64URL}+\\.${B64URL}+$`);

export function isJwt(value: string): boolean {
  if (!value.includes("eyJ")) return false;
  const v = value.trim().replace(/^bearer\s+/i, "");
  return v.length >= 20 && (JWS.test(v) || JWE.test(v));
}

const CREDENTIAL = /^(?:bearer|basic|dpop|negotiate|token)\s+[A-Za-z0-9\-._~+/]{8,}=*$/i;

export function isBearerCredential(value: string): boolean {
  if (!/\s/.test(value)) return false;
  return CREDENTIAL.test(value.trim());
}

const TESTS: Record<Detector, (v: string) => boolean> = {
  email: isEmail,
  ip: isIpAddress,
  jwt: isJwt,
  bearer: isBearerCredential,
};

/** Which enabled detector recognizes a string, or null. JWT before bearer: "Bearer eyJ…" is reported as a JWT. */
export function detect(value: string, enabled: ReadonlySet<Detector> | readonly Detector[] = DETECTORS): Detector | null {
  const on = enabled instanceof Set ? enabled : new Set(enabled);
  for (const d of ["jwt", "bearer", "email", "ip"] as const) if (on.has(d) && TESTS[d](value)) return d;
  return null;
}

export function isDetector(name: string): name is Detector {
  return (DETECTORS as readonly string[]).includes(name);
}
