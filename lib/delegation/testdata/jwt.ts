// Test tokens: compact JWTs built by base64url-encoding JSON (alg "none" style, unverifiable on
// purpose: extraction never verifies). The signature part is a fixed marker so tests can assert
// that no part of a raw token survives extraction.

export const SIGNATURE_MARKER = "c2lnbmF0dXJlLW5ldmVyLWtlcHQ";

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function compactJwt(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: "RS256", typ: "JWT" }): string {
  return `${b64url(header)}.${b64url(claims)}.${SIGNATURE_MARKER}`;
}

export function txnToken(claims: Record<string, unknown>): string {
  return compactJwt(claims, { alg: "ES256", typ: "txntoken+jwt" });
}
