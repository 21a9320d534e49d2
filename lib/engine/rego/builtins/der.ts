// A minimal DER reader: enough to walk a PKCS#10 certificate request to its subject name, which
// node:crypto cannot parse.
import { BuiltinError } from "../errors.ts";

export interface DerNode {
  tag: number;
  content: Buffer;
  children?: DerNode[];
}

export function readDer(buf: Buffer): DerNode[] {
  const out: DerNode[] = [];
  let i = 0;
  while (i < buf.length) {
    const tag = buf[i];
    let len = buf[i + 1];
    let head = 2;
    if (len === undefined) throw new BuiltinError("asn1: truncated");
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let j = 0; j < n; j++) len = len * 256 + buf[i + 2 + j];
      head = 2 + n;
    }
    if (i + head + len > buf.length) throw new BuiltinError("asn1: structure error: data truncated");
    const content = buf.subarray(i + head, i + head + len);
    // Constructed types (bit 0x20) hold nested elements.
    out.push({ tag, content, children: tag & 0x20 ? readDer(content) : undefined });
    i += head + len;
  }
  return out;
}

const OID_NAMES: Record<string, string> = { "2.5.4.3": "CommonName", "2.5.4.6": "Country", "2.5.4.10": "Organization", "2.5.4.11": "OrganizationalUnit", "2.5.4.7": "Locality", "2.5.4.8": "Province", "2.5.4.5": "SerialNumber" };

function oid(buf: Buffer): string {
  const parts = [Math.floor(buf[0] / 40), buf[0] % 40];
  let v = 0;
  for (let i = 1; i < buf.length; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

/** Go-style pkix.Name fields from a DER Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
export function nameFields(name: DerNode): Record<string, unknown> {
  const out: Record<string, unknown> = { CommonName: "", SerialNumber: "" };
  for (const rdn of name.children ?? []) {
    for (const atv of rdn.children ?? []) {
      const [type, value] = atv.children ?? [];
      if (!type || !value) continue;
      const field = OID_NAMES[oid(type.content)];
      if (!field) continue;
      const text = value.content.toString("utf8");
      if (field === "CommonName" || field === "SerialNumber") out[field] = text;
      else out[field] = [...((out[field] as string[]) ?? []), text];
    }
  }
  return out;
}
