// Ed25519 key material, pure (no database, no files): key ids, fingerprints, signing and verifying.
// The offline verifier depends on this file only, so it stays free of server code.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

export const SIGNATURE_ALGORITHM = "Ed25519";

export interface PublicKeyInfo {
  /** First 16 hex characters of the SHA-256 of the public key (DER, SPKI). */
  keyId: string;
  /** SHA-256 of the public key (DER, SPKI), hex: what users pin and compare out of band. */
  fingerprint: string;
  publicKeyPem: string;
}

function spkiDer(key: KeyObject): Buffer {
  return key.export({ type: "spki", format: "der" });
}

/** Reads a PEM public key and names it; throws with a clear message on anything but Ed25519. */
export function describePublicKey(pem: string): PublicKeyInfo {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`not a PEM public key (${(err as Error).message})`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? "unknown"}`);
  const fingerprint = createHash("sha256").update(spkiDer(key)).digest("hex");
  // Re-exporting normalizes the PEM text, so the same key always yields the same bytes in a bundle.
  const publicKeyPem = key.export({ type: "spki", format: "pem" }).toString();
  return { keyId: fingerprint.slice(0, 16), fingerprint, publicKeyPem };
}

export function publicKeyOfPrivate(privateKeyPem: string): PublicKeyInfo {
  return describePublicKey(createPublicKey(createPrivateKey(privateKeyPem)).export({ type: "spki", format: "pem" }).toString());
}

/** Ed25519 is one-shot (PureEdDSA): no digest algorithm, the message is signed as is. */
export function signBytes(privateKeyPem: string, data: Uint8Array): Buffer {
  return sign(null, data, createPrivateKey(privateKeyPem));
}

export function verifyBytes(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}
