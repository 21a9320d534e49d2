// Reading delegation out of JWT claims. Per RFC 8693 §4.1 the outermost `act` names the current
// actor and nested `act`s name earlier ones, so the acting agent is `act.sub` at the top level.
// Tokens are decoded, never verified: a decision log records what the PDP saw, and keys are not ours.

import { decodeJwt } from "jose";

type Claims = Record<string, unknown>;

function isObject(v: unknown): v is Claims {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `act.sub` of a claims object (the current actor), or null. */
export function currentActorOf(claims: unknown): string | null {
  if (!isObject(claims) || !isObject(claims.act)) return null;
  const sub = claims.act.sub;
  return typeof sub === "string" && sub !== "" ? sub : null;
}

/** Decodes a compact JWT (optionally "Bearer "-prefixed) without verifying it; null when it is not one. */
export function decodeJwtClaims(token: unknown): Claims | null {
  if (typeof token !== "string") return null;
  const compact = token.replace(/^bearer\s+/i, "").trim();
  if (compact.split(".").length !== 3) return null;
  try {
    return decodeJwt(compact) as Claims;
  } catch {
    return null;
  }
}
