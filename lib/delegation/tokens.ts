// Tokens seen in a record: decoded without verification (a log shows what the PDP saw; keys are not
// ours and are never fetched), hashed, then dropped. Only claims and the SHA-256 of the compact
// form survive (Txn-Token draft: complete tokens MUST NOT be logged verbatim).

import { createHash } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { asObject, nonEmptyString, stringList, type Obj } from "./paths.ts";
import type { TokenFacts, TxnDraftGen, TxnFacts } from "./types.ts";

export interface ClaimSet {
  claims: Obj;
  /** Provenance prefix, e.g. "cerbos.auxData.jwt", "opa.input.token". */
  label: string;
  /** SHA-256 of the compact token when the raw token was seen. */
  sha256: string | null;
  typ: string | null;
  /** Arrived in a Txn-Token slot (header `Txn-Token`), whatever its claims say. */
  txnSlot: boolean;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Decodes a compact JWT (optionally "Bearer "-prefixed); null when the value is not one. */
export function decodeCompactToken(value: string, label: string, txnSlot: boolean): ClaimSet | null {
  const compact = value.replace(/^bearer\s+/i, "").trim();
  if (compact.split(".").length !== 3) return null;
  try {
    const claims = decodeJwt(compact) as Obj;
    let typ: string | null = null;
    try {
      typ = nonEmptyString(decodeProtectedHeader(compact).typ) ?? null;
    } catch {
      typ = null;
    }
    return { claims, label, sha256: sha256Hex(compact), typ, txnSlot };
  } catch {
    return null;
  }
}

const CLAIM_HINTS = ["sub", "iss", "act", "aud", "txn", "scope", "scp", "client_id", "azp", "jti", "may_act"];

function looksLikeClaims(o: Obj): boolean {
  return CLAIM_HINTS.some((k) => Object.hasOwn(o, k));
}

/**
 * Claim objects under a configured path: decoded claims (`auxData.jwt`), a `{claims}` wrapper, a map
 * of named `{claims}` (`auxData.jwts`), or a compact token string.
 */
export function claimSetsAt(value: unknown, label: string): ClaimSet[] {
  if (typeof value === "string") {
    const decoded = decodeCompactToken(value, label, false);
    return decoded ? [decoded] : [];
  }
  const o = asObject(value);
  if (!o) return [];
  const wrapped = asObject(o.claims);
  if (wrapped) return [{ claims: wrapped, label: `${label}.claims`, sha256: null, typ: null, txnSlot: false }];
  // A named map ({access: {claims}, txn: {claims}}) is checked first: its keys may look like claims.
  const entries = Object.entries(o);
  const named = entries.flatMap(([name, inner]) => {
    const claims = asObject(asObject(inner)?.claims);
    return claims ? [{ claims, label: `${label}.${name}.claims`, sha256: null, typ: null, txnSlot: /txn/i.test(name) }] : [];
  });
  if (entries.length > 0 && named.length === entries.length) return named;
  return looksLikeClaims(o) ? [{ claims: o, label, sha256: null, typ: null, txnSlot: false }] : [];
}

export function isTxnToken(set: ClaimSet): boolean {
  if (set.txnSlot || (set.typ !== null && /txntoken/i.test(set.typ))) return true;
  const c = set.claims;
  if (typeof c.txn !== "string") return false;
  return ["purp", "azd", "tctx", "rctx", "req_wl"].some((k) => Object.hasOwn(c, k));
}

/** The access token (first with `act`, else first non-Txn) and the Txn-Token among the sets. */
export function pickTokens(sets: ClaimSet[]): { access: ClaimSet | null; txn: ClaimSet | null } {
  const txn = sets.find(isTxnToken) ?? null;
  const others = sets.filter((s) => s !== txn);
  const access = others.find((s) => s.claims.act !== undefined) ?? others[0] ?? null;
  return { access, txn };
}

/** NumericDate seconds or a date string → ISO 8601; unparseable strings are kept as recorded. */
export function claimTime(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) {
    const d = new Date(v * 1000);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const s = nonEmptyString(v);
  if (s === null) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

export function audienceOf(claims: Obj): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return aud ? [aud] : [];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string" && a !== "") : [];
}

/** OAuth `scope` (space-separated) or `scp` (array or string). */
export function scopesOf(claims: Obj): string[] {
  const scopes = stringList(claims.scope);
  return scopes.length ? scopes : stringList(claims.scp);
}

export function tokenFacts(set: ClaimSet, hashFromPdp: string | null): TokenFacts {
  const c = set.claims;
  return {
    typ: set.typ,
    iss: nonEmptyString(c.iss),
    aud: audienceOf(c),
    jti: nonEmptyString(c.jti),
    iat: claimTime(c.iat),
    exp: claimTime(c.exp),
    sha256: set.sha256 ?? hashFromPdp,
    sigVerified: "unknown",
  };
}

function reqWlList(v: unknown): string[] {
  if (typeof v === "string") return v.split(/\s*,\s*/).filter(Boolean);
  return Array.isArray(v) ? v.filter((w): w is string => typeof w === "string" && w !== "") : [];
}

/**
 * Txn-Token facts across both draft generations: draft-03 `purp`/`azd`/`rctx.req_wl` (a string that
 * becomes an array on replacement) vs draft-10 `scope`/`tctx`/top-level `req_wl`.
 */
export function txnFacts(set: ClaimSet): TxnFacts | null {
  const c = set.claims;
  const txn = nonEmptyString(c.txn);
  if (txn === null) return null;
  const rctx = asObject(c.rctx);
  const draft03 = Object.hasOwn(c, "purp") || Object.hasOwn(c, "azd") || (rctx !== undefined && Object.hasOwn(rctx, "req_wl"));
  const draft10 = Object.hasOwn(c, "tctx") || Object.hasOwn(c, "req_wl");
  // A token showing markers of both generations is read as the newer one.
  const draftGen: TxnDraftGen = draft10 ? "draft-10" : draft03 ? "draft-03" : "unknown";
  const reqWl = reqWlList(c.req_wl).length ? reqWlList(c.req_wl) : reqWlList(rctx?.req_wl);
  const purpose = nonEmptyString(c.purp) ?? (draftGen === "draft-10" ? nonEmptyString(c.scope) : null);
  return { txn, reqWl, draftGen, purpose, tokenSha256: set.sha256 };
}
