// Bearer tokens for PDPs and log shippers. The secret is shown once at creation; only its SHA-256 is
// stored (a fast hash is right here: tokens are 256-bit random, so there is nothing to brute-force).
import { randomBytes, timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { sha256Hex } from "./canonical.ts";

export const TOKEN_PREFIX = "hst_";

export interface TokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function validateTokenName(name: string): string | null {
  if (!name || name.length > 200) return "token name must be 1 to 200 characters";
  if (!/^[\w.:@\/-]+$/.test(name)) return "token name may contain letters, digits and . _ - : @ / only";
  return null;
}

export async function createToken(pool: pg.Pool, name: string): Promise<{ token: string; info: TokenInfo }> {
  const problem = validateTokenName(name);
  if (problem) throw new Error(problem);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const { rows } = await pool.query(
    `INSERT INTO ingest_tokens (id, name, token_hash, prefix) VALUES (gen_random_uuid(), $1, $2, $3)
     RETURNING id, name, prefix, created_at, revoked_at, last_used_at`,
    [name, sha256Hex(token), token.slice(0, TOKEN_PREFIX.length + 6)],
  );
  return { token, info: toInfo(rows[0]) };
}

export async function listTokens(pool: pg.Pool): Promise<TokenInfo[]> {
  const { rows } = await pool.query(
    `SELECT id, name, prefix, created_at, revoked_at, last_used_at FROM ingest_tokens ORDER BY created_at`,
  );
  return rows.map(toInfo);
}

/** Revokes by id or by name (all active tokens of that name); returns how many were revoked. */
export async function revokeToken(pool: pg.Pool, idOrName: string): Promise<number> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrName);
  const { rowCount } = await pool.query(
    `UPDATE ingest_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND ${isUuid ? "id = $1::uuid" : "name = $1"}`,
    [idOrName],
  );
  return rowCount ?? 0;
}

/** The token's record when the Authorization header carries a live token; null otherwise. */
export async function authenticateBearer(pool: pg.Pool, authorization: string | null): Promise<TokenInfo | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return null;
  const presented = match[1];
  const hash = sha256Hex(presented);
  const { rows } = await pool.query(
    `UPDATE ingest_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL
     RETURNING id, name, prefix, created_at, revoked_at, last_used_at, token_hash`,
    [hash],
  );
  if (rows.length === 0) return null;
  // The lookup is by hash already; compare again in constant time for defence in depth.
  const stored = Buffer.from(rows[0].token_hash as string, "hex");
  if (!timingSafeEqual(stored, Buffer.from(hash, "hex"))) return null;
  return toInfo(rows[0]);
}

function toInfo(row: Record<string, unknown>): TokenInfo {
  return {
    id: row.id as string,
    name: row.name as string,
    prefix: row.prefix as string,
    createdAt: row.created_at as Date,
    revokedAt: (row.revoked_at as Date | null) ?? null,
    lastUsedAt: (row.last_used_at as Date | null) ?? null,
  };
}
