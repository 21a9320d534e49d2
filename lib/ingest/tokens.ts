// Bearer tokens for PDPs and log shippers. The secret is shown once at creation; only its SHA-256 is
// stored (a fast hash is right here: tokens are 256-bit random, so there is nothing to brute-force).
// A token is scoped: the ingest endpoints it may call (opa, cerbos) and the PDP instance it stands for.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { sha256Hex } from "./canonical.ts";

export const TOKEN_PREFIX = "hst_";

export const INGEST_ENDPOINTS = ["opa", "cerbos"] as const;
export type IngestEndpoint = (typeof INGEST_ENDPOINTS)[number];

export interface TokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** The endpoints it may call (tokens made before scopes, stored with none, may call both). */
  endpoints: IngestEndpoint[];
  /** PDP instance of the records it brings that name none (Cerbos); the name for tokens made before scopes. */
  pdp: string;
  /** A user name, or "cli:<os user>@<host>"; null for tokens made before this was recorded. */
  createdBy: string | null;
}

export interface TokenOptions {
  /** Default: both. */
  endpoints?: readonly string[];
  /** Default: the token's name. */
  pdp?: string | null;
  createdBy?: string | null;
}

export class TokenError extends Error {}

export function validateTokenName(name: string): string | null {
  if (!name || name.length > 200) return "token name must be 1 to 200 characters";
  if (!/^[\w.:@\/-]+$/.test(name)) return "token name may contain letters, digits and . _ - : @ / only";
  return null;
}

export function validatePdpName(pdp: string): string | null {
  if (!pdp || pdp.length > 200) return "PDP instance must be 1 to 200 characters";
  if (!/^[\w.:@\/-]+$/.test(pdp)) return "PDP instance may contain letters, digits and . _ - : @ / only";
  return null;
}

/** The endpoint list to store: known names only, at least one, in a fixed order. */
export function parseEndpoints(endpoints: readonly string[] | undefined): IngestEndpoint[] {
  if (endpoints === undefined) return [...INGEST_ENDPOINTS];
  const unknown = endpoints.find((e) => !(INGEST_ENDPOINTS as readonly string[]).includes(e));
  if (unknown !== undefined) throw new TokenError(`unknown ingest endpoint "${unknown}" (endpoints are: ${INGEST_ENDPOINTS.join(", ")})`);
  if (endpoints.length === 0) throw new TokenError(`give at least one endpoint (${INGEST_ENDPOINTS.join(", ")})`);
  return INGEST_ENDPOINTS.filter((e) => endpoints.includes(e));
}

export function tokenAllows(token: Pick<TokenInfo, "endpoints">, endpoint: IngestEndpoint): boolean {
  return token.endpoints.includes(endpoint);
}

const COLUMNS = `id, name, prefix, created_at, revoked_at, last_used_at, endpoints, pdp, created_by`;

/** `createToken(pool, name)` makes a token for both endpoints whose PDP instance is its name. */
export async function createToken(pool: pg.Pool | pg.ClientBase, name: string, options: TokenOptions = {}): Promise<{ token: string; info: TokenInfo }> {
  const problem = validateTokenName(name);
  if (problem) throw new TokenError(problem);
  const endpoints = parseEndpoints(options.endpoints);
  const pdp = options.pdp?.trim() || name;
  const pdpProblem = validatePdpName(pdp);
  if (pdpProblem) throw new TokenError(pdpProblem);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const { rows } = await pool.query(
    `INSERT INTO ingest_tokens (id, name, token_hash, prefix, endpoints, pdp, created_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
     RETURNING ${COLUMNS}`,
    [name, sha256Hex(token), token.slice(0, TOKEN_PREFIX.length + 6), endpoints, pdp, options.createdBy ?? null],
  );
  return { token, info: toInfo(rows[0]) };
}

export async function listTokens(pool: pg.Pool): Promise<TokenInfo[]> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM ingest_tokens ORDER BY created_at`);
  return rows.map(toInfo);
}

export async function getToken(pool: pg.Pool, id: string): Promise<TokenInfo | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM ingest_tokens WHERE id = $1::uuid`, [id]);
  return rows[0] ? toInfo(rows[0]) : null;
}

/** Revokes by id or by name (all active tokens of that name); returns the tokens it revoked. */
export async function revokeTokens(pool: pg.Pool, idOrName: string): Promise<TokenInfo[]> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrName);
  const { rows } = await pool.query(
    `UPDATE ingest_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND ${isUuid ? "id = $1::uuid" : "name = $1"} RETURNING ${COLUMNS}`,
    [idOrName],
  );
  return rows.map(toInfo);
}

/** Revokes by id or by name (all active tokens of that name); returns how many were revoked. */
export async function revokeToken(pool: pg.Pool, idOrName: string): Promise<number> {
  return (await revokeTokens(pool, idOrName)).length;
}

/** The token's record when the Authorization header carries a live token; null otherwise. */
export async function authenticateBearer(pool: pg.Pool, authorization: string | null): Promise<TokenInfo | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return null;
  const presented = match[1];
  const hash = sha256Hex(presented);
  const { rows } = await pool.query(
    `UPDATE ingest_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL
     RETURNING ${COLUMNS}, token_hash`,
    [hash],
  );
  if (rows.length === 0) return null;
  // The lookup is by hash already; compare again in constant time for defence in depth.
  const stored = Buffer.from(rows[0].token_hash as string, "hex");
  if (!timingSafeEqual(stored, Buffer.from(hash, "hex"))) return null;
  return toInfo(rows[0]);
}

function toInfo(row: Record<string, unknown>): TokenInfo {
  const stored = (row.endpoints as string[] | null) ?? [];
  return {
    id: row.id as string,
    name: row.name as string,
    prefix: row.prefix as string,
    createdAt: row.created_at as Date,
    revokedAt: (row.revoked_at as Date | null) ?? null,
    lastUsedAt: (row.last_used_at as Date | null) ?? null,
    // Empty means "made before scopes": both. Otherwise only the known names it lists (an unknown one opens nothing).
    endpoints: stored.length === 0 ? [...INGEST_ENDPOINTS] : INGEST_ENDPOINTS.filter((e) => stored.includes(e)),
    pdp: (row.pdp as string | null) || (row.name as string),
    createdBy: (row.created_by as string | null) ?? null,
  };
}
