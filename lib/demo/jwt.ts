// Delegation tokens as the IdP issues them (RFC 8693 token exchange): `sub` is the human, nested
// `act` lists the actors with the current one outermost. Cerbos logs the decoded claims (with
// exp/iat rendered as RFC 3339 strings); OPA receives the compact token.

import type { JsonValue } from "../formats/types.ts";
import { base64urlRandom, rfc3339Seconds, uuidV4 } from "./ids.ts";
import type { Rng } from "./prng.ts";
import { emailOf, IDP_ISSUER } from "./world.ts";

export interface TokenSubject {
  human: string;
  /** Agents from the first delegate down to the current actor. */
  agentChain: string[];
  scopes: string[];
  taskId: string;
}

/** Nested act claim, current actor outermost. */
export function actClaim(agentChain: string[]): JsonValue | undefined {
  let act: JsonValue | undefined;
  for (const agent of agentChain) act = act === undefined ? { sub: agent } : { sub: agent, act };
  return act;
}

function baseClaims(s: TokenSubject, rng: Rng, audience: string, iatMs: number) {
  const claims: Record<string, JsonValue> = { iss: IDP_ISSUER, sub: s.human, aud: audience, jti: uuidV4(rng), scope: s.scopes.join(" "), task_id: s.taskId };
  // OIDC: the "email" scope releases the email claim (only people's own tokens ask for it).
  if (s.scopes.includes("email")) claims.email = emailOf(s.human);
  const act = actClaim(s.agentChain);
  if (act !== undefined) claims.act = act;
  return { claims, iatMs, expMs: iatMs + 3_600_000 };
}

/** Claims as Cerbos writes them into auxData.jwt. */
export function cerbosJwtClaims(s: TokenSubject, rng: Rng, iatMs: number): Record<string, JsonValue> {
  const { claims, expMs } = baseClaims(s, rng, "cerbos-pdp", iatMs);
  return { ...claims, iat: rfc3339Seconds(iatMs), exp: rfc3339Seconds(expMs) };
}

/** A compact ES256-shaped JWT (the signature is random bytes: decision logs are never verified). */
export function compactJwt(s: TokenSubject, rng: Rng, iatMs: number, audience: string): string {
  const { claims, expMs } = baseClaims(s, rng, audience, iatMs);
  const header = { alg: "ES256", kid: "idp-2026-11", typ: "at+jwt" };
  const payload = { ...claims, iat: Math.floor(iatMs / 1000), exp: Math.floor(expMs / 1000) };
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc(header)}.${enc(payload)}.${base64urlRandom(rng, 86)}`;
}
