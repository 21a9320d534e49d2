// crypto.x509.* and crypto.parse_private_keys with node:crypto. Certificates are returned with
// the commonly used fields of Go's x509.Certificate (Subject, Issuer, DNSNames, URIStrings, …).
import { X509Certificate, createPrivateKey } from "node:crypto";
import { BuiltinError } from "../errors.ts";
import { fromJs } from "../values/json.ts";
import { RegoObject, type Value } from "../values/value.ts";
import { nameFields, readDer } from "./der.ts";
import { register, str } from "./registry.ts";

/** Raw bytes of the certificate input: PEM text, base64 of PEM, or base64 of DER. */
function inputBytes(s: string): { pem?: string; der?: Buffer } {
  if (s.includes("-----BEGIN")) return { pem: s };
  const compact = s.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new BuiltinError(`illegal base64 data at input byte ${Math.max(0, compact.length - (compact.length % 4 || 4))}`);
  const buf = Buffer.from(s, "base64");
  const text = buf.toString("utf8");
  if (text.includes("-----BEGIN")) return { pem: text };
  return { der: buf };
}

function pemBlocks(pem: string, type: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${type}-----([\\s\\S]*?)-----END ${type}-----`, "g");
  return [...pem.matchAll(re)].map((m) => Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}

/** Splits concatenated DER SEQUENCEs. */
function splitDer(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    if (buf[i] !== 0x30) throw new BuiltinError("x509: malformed certificate");
    let len = buf[i + 1];
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let j = 0; j < n; j++) len = len * 256 + buf[i + 2 + j];
      head = 2 + n;
    }
    out.push(buf.subarray(i, i + head + len));
    i += head + len;
  }
  return out;
}

function parseCerts(s: string): X509Certificate[] {
  const { pem, der } = inputBytes(s);
  const ders = pem ? pemBlocks(pem, "CERTIFICATE") : splitDer(der!);
  if (pem && ders.length === 0) throw new BuiltinError("failed to parse a PEM certificate");
  return ders.map((d) => {
    try {
      return new X509Certificate(d);
    } catch {
      throw new BuiltinError("x509: malformed certificate");
    }
  });
}

const NAME_FIELDS: Record<string, string> = { C: "Country", O: "Organization", OU: "OrganizationalUnit", L: "Locality", ST: "Province", street: "StreetAddress", postalCode: "PostalCode" };

function parseName(dn: string): Record<string, unknown> {
  const out: Record<string, unknown> = { CommonName: "", SerialNumber: "" };
  for (const line of dn.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    if (k === "CN") out.CommonName = v;
    else if (k === "serialNumber") out.SerialNumber = v;
    else if (NAME_FIELDS[k]) out[NAME_FIELDS[k]] = [...((out[NAME_FIELDS[k]] as string[]) ?? []), v];
  }
  return out;
}

function altNames(cert: X509Certificate, prefix: string): string[] | null {
  const list = (cert.subjectAltName ?? "").split(/,\s*/).filter((x) => x.startsWith(prefix + ":")).map((x) => x.slice(prefix.length + 1));
  return list.length ? list : null;
}

function certToValue(cert: X509Certificate): Value {
  return fromJs({
    Raw: cert.raw.toString("base64"),
    Subject: parseName(cert.subject),
    Issuer: parseName(cert.issuer),
    SerialNumber: BigInt("0x" + cert.serialNumber),
    NotBefore: new Date(cert.validFrom).toISOString().replace(".000Z", "Z"),
    NotAfter: new Date(cert.validTo).toISOString().replace(".000Z", "Z"),
    DNSNames: altNames(cert, "DNS"),
    EmailAddresses: altNames(cert, "email"),
    IPAddresses: altNames(cert, "IP Address"),
    URIStrings: altNames(cert, "URI"),
    IsCA: cert.ca,
  });
}

register("crypto.x509.parse_certificates", 1, (a) => parseCerts(str("crypto.x509.parse_certificates", a, 0)).map(certToValue));
register("crypto.x509.parse_and_verify_certificates", 1, (a) => {
  // The input lists the root first and the leaf last; the verified chain is returned leaf first.
  const certs = parseCerts(str("crypto.x509.parse_and_verify_certificates", a, 0)).reverse();
  const invalid: Value = [false, []];
  if (certs.length < 2) return invalid;
  // Leaf first, root last: each certificate must be issued by the next; the root self-signed.
  for (let i = 0; i < certs.length - 1; i++) if (!certs[i].checkIssued(certs[i + 1]) || !certs[i].verify(certs[i + 1].publicKey)) return invalid;
  const root = certs[certs.length - 1];
  if (!root.verify(root.publicKey)) return invalid;
  return [true, certs.map(certToValue)];
});

function privateKeyJwk(der: Buffer | string, format: "pem" | "der", type?: "pkcs1" | "pkcs8" | "sec1"): Value {
  const key = format === "pem" ? createPrivateKey(der as string) : createPrivateKey({ key: der as Buffer, format: "der", type: type! });
  return fromJs(key.export({ format: "jwk" }));
}

register("crypto.x509.parse_rsa_private_key", 1, (a) => {
  const s = str("crypto.x509.parse_rsa_private_key", a, 0);
  const { pem } = inputBytes(s);
  if (!pem) throw new BuiltinError("failed to parse a PEM private key");
  try {
    return privateKeyJwk(pem, "pem");
  } catch {
    throw new BuiltinError("failed to parse a PEM private key");
  }
});
register("crypto.parse_private_keys", 1, (a) => {
  const s = str("crypto.parse_private_keys", a, 0);
  if (s === "") return null;
  let pem: string | undefined;
  try {
    pem = inputBytes(s).pem;
  } catch {
    return [];
  }
  if (!pem) return [];
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g)];
  const out: Value[] = [];
  for (const b of blocks) {
    try {
      out.push(privateKeyJwk(b[0], "pem"));
    } catch {
      // Not a usable key: skipped, as OPA does.
    }
  }
  return out;
});
register("crypto.x509.parse_keypair", 2, (a) => {
  const certs = parseCerts(str("crypto.x509.parse_keypair", a, 0));
  const keyText = str("crypto.x509.parse_keypair", a, 1);
  const { pem } = inputBytes(keyText);
  if (!pem) throw new BuiltinError("failed to parse a PEM private key");
  privateKeyJwk(pem, "pem");
  return new RegoObject().set("Certificate", certs.map((c) => c.raw.toString("base64")));
});

register("crypto.x509.parse_certificate_request", 1, (a) => {
  const { pem, der } = inputBytes(str("crypto.x509.parse_certificate_request", a, 0));
  const bytes = pem ? pemBlocks(pem, "CERTIFICATE REQUEST")[0] ?? pemBlocks(pem, "NEW CERTIFICATE REQUEST")[0] : der!;
  if (!bytes) throw new BuiltinError("failed to parse a PEM certificate request");
  // CertificationRequest ::= SEQUENCE { info SEQUENCE { version, subject Name, spki, attributes }, … }
  const info = readDer(bytes)[0]?.children?.[0];
  const subject = info?.children?.[1];
  if (!subject?.children) throw new BuiltinError("x509: malformed certificate request");
  return fromJs({ Raw: bytes.toString("base64"), Version: 0, Subject: nameFields(subject) });
});
