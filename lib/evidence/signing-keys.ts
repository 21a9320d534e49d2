// Evidence signing keys: the private half lives in a file under the keys directory (mode 0600) and never
// in the database; the public half and its fingerprint live in signing_keys, where retired keys stay so
// bundles and checkpoints they signed keep verifying.
import { generateKeyPairSync } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { ADVISORY_LOCKS } from "../db/locks.ts";
import { describePublicKey, publicKeyOfPrivate, type PublicKeyInfo } from "./key-material.ts";

export interface SigningKey extends PublicKeyInfo {
  privateKeyPem: string;
}

export interface StoredKey extends PublicKeyInfo {
  createdAt: Date;
  retiredAt: Date | null;
}

// Serializes key creation and rotation so two first exports cannot create two active keys.
const KEY_LOCK = ADVISORY_LOCKS.signingKeys;

export function defaultKeysDir(): string {
  if (process.env.HINDSIGHT_KEYS_DIR) return process.env.HINDSIGHT_KEYS_DIR;
  const dataDir = process.env.HINDSIGHT_DATA_DIR || path.join(process.cwd(), ".hindsight");
  // A throwaway in-memory database gets throwaway keys: its signing_keys rows vanish with it too.
  if (dataDir.startsWith("memory://")) return path.join(os.tmpdir(), `hindsight-keys-${process.pid}`);
  return path.join(dataDir, "keys");
}

function privateKeyPath(keysDir: string, keyId: string): string {
  return path.join(keysDir, `${keyId}.ed25519.pem`);
}

async function writePrivateKey(keysDir: string, keyId: string, pem: string): Promise<void> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const file = privateKeyPath(keysDir, keyId);
  // `wx`: never overwrite a key file; mode applies at creation, chmod covers a permissive umask.
  await writeFile(file, pem, { mode: 0o600, flag: "wx" });
  await chmod(file, 0o600);
}

async function readPrivateKey(keysDir: string, keyId: string): Promise<string> {
  const file = privateKeyPath(keysDir, keyId);
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch {
    throw new Error(
      `the private key of the active evidence signing key ${keyId} is not in ${keysDir} (expected ${path.basename(file)}); ` +
        "restore it or set HINDSIGHT_KEYS_DIR, or run `hindsight evidence rotate-key` to start a new key",
    );
  }
  if (publicKeyOfPrivate(pem).keyId !== keyId) throw new Error(`${file} does not hold the private key of ${keyId}`);
  return pem;
}

function newKeyPair(): SigningKey {
  const { privateKey } = generateKeyPairSync("ed25519");
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { ...publicKeyOfPrivate(privateKeyPem), privateKeyPem };
}

async function insertKey(client: pg.ClientBase, keysDir: string): Promise<SigningKey> {
  const key = newKeyPair();
  await writePrivateKey(keysDir, key.keyId, key.privateKeyPem);
  await client.query(`INSERT INTO signing_keys (key_id, public_key_pem, fingerprint) VALUES ($1, $2, $3)`, [
    key.keyId,
    key.publicKeyPem,
    key.fingerprint,
  ]);
  return key;
}

async function inKeyTransaction<T>(pool: pg.Pool, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [KEY_LOCK]);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The key new bundles and checkpoints are signed with; created on first use. */
export async function activeSigningKey(pool: pg.Pool, keysDir = defaultKeysDir()): Promise<SigningKey> {
  return inKeyTransaction(pool, async (client) => {
    const { rows } = await client.query<{ key_id: string }>(
      `SELECT key_id FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    );
    if (rows.length === 0) return insertKey(client, keysDir);
    const privateKeyPem = await readPrivateKey(keysDir, rows[0].key_id);
    return { ...publicKeyOfPrivate(privateKeyPem), privateKeyPem };
  });
}

/** Retires every active key and starts a new one. Old public keys stay, so old bundles keep verifying. */
export async function rotateSigningKey(pool: pg.Pool, keysDir = defaultKeysDir()): Promise<{ retired: string[]; active: SigningKey }> {
  return inKeyTransaction(pool, async (client) => {
    const { rows } = await client.query<{ key_id: string }>(
      `UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL RETURNING key_id`,
    );
    const active = await insertKey(client, keysDir);
    return { retired: rows.map((r) => r.key_id), active };
  });
}

export async function listSigningKeys(pool: pg.Pool): Promise<StoredKey[]> {
  const { rows } = await pool.query<{ public_key_pem: string; fingerprint: string; key_id: string; created_at: Date; retired_at: Date | null }>(
    `SELECT key_id, public_key_pem, fingerprint, created_at, retired_at FROM signing_keys ORDER BY created_at, key_id`,
  );
  return rows.map((r) => {
    const info = describePublicKey(r.public_key_pem);
    // A row whose stored fingerprint disagrees with its own public key was edited by hand: say so.
    if (info.fingerprint !== r.fingerprint || info.keyId !== r.key_id) throw new Error(`signing_keys row ${r.key_id} does not match its public key`);
    return { ...info, createdAt: r.created_at, retiredAt: r.retired_at };
  });
}

/** Public key of any key ever used (checkpoints made by a since-retired key need it). */
export async function publicKeyById(client: pg.ClientBase | pg.Pool, keyId: string): Promise<PublicKeyInfo> {
  const { rows } = await client.query<{ public_key_pem: string }>(`SELECT public_key_pem FROM signing_keys WHERE key_id = $1`, [keyId]);
  if (rows.length === 0) throw new Error(`signing key ${keyId} is not in signing_keys`);
  const info = describePublicKey(rows[0].public_key_pem);
  if (info.keyId !== keyId) throw new Error(`signing_keys row ${keyId} does not match its public key`);
  return info;
}
