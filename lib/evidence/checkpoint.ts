// Signed checkpoints of the records' Merkle log. An export pins the log at its current size: it reuses
// the checkpoint for that size when one exists (after re-deriving its root and checking its signature,
// so a doctored row is caught here rather than shipped), else signs and stores a new one.
import type pg from "pg";
import { currentTreeSize, treeRoot } from "../ingest/merkle-log.ts";
import { type Checkpoint, LOG_ORIGIN, signCheckpoint, verifyCheckpointSignature } from "./checkpoint-note.ts";
import type { PublicKeyInfo } from "./key-material.ts";
import { publicKeyById, type SigningKey } from "./signing-keys.ts";

export interface PinnedCheckpoint extends Checkpoint {
  /** The key that signed the checkpoint: an older, retired key when the checkpoint predates a rotation. */
  publicKey: PublicKeyInfo;
}

async function storedCheckpoint(pool: pg.Pool, treeSize: number): Promise<Omit<Checkpoint, "origin"> | null> {
  const { rows } = await pool.query<{ root_hash: string; signature: string; key_id: string }>(
    `SELECT root_hash, signature, key_id FROM merkle_checkpoints WHERE tree_size = $1`,
    [treeSize],
  );
  if (rows.length === 0) return null;
  return { treeSize, rootHash: rows[0].root_hash, signature: rows[0].signature, keyId: rows[0].key_id };
}

/** A signed checkpoint covering the whole log as it is now. */
export async function checkpointCurrentTree(pool: pg.Pool, key: SigningKey): Promise<PinnedCheckpoint> {
  const treeSize = await currentTreeSize(pool);
  const rootHash = (await treeRoot(pool, treeSize)).toString("hex");
  let stored = await storedCheckpoint(pool, treeSize);
  if (!stored) {
    const signature = signCheckpoint(key.privateKeyPem, LOG_ORIGIN, treeSize, rootHash);
    // Another export may have checkpointed the same size meanwhile; its row wins and is checked below.
    await pool.query(
      `INSERT INTO merkle_checkpoints (tree_size, root_hash, signature, key_id) VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size) DO NOTHING`,
      [treeSize, rootHash, signature, key.keyId],
    );
    stored = await storedCheckpoint(pool, treeSize);
    if (!stored) throw new Error(`checkpoint for tree size ${treeSize} vanished after insert`);
  }
  if (stored.rootHash !== rootHash) {
    throw new Error(
      `checkpoint at tree size ${treeSize} says root ${stored.rootHash} but the log's nodes give ${rootHash}: the Merkle log or the checkpoint was altered`,
    );
  }
  const publicKey = stored.keyId === key.keyId ? key : await publicKeyById(pool, stored.keyId);
  const checkpoint: Checkpoint = { origin: LOG_ORIGIN, ...stored };
  if (!verifyCheckpointSignature(publicKey.publicKeyPem, checkpoint)) {
    throw new Error(`checkpoint at tree size ${treeSize} has a signature that key ${stored.keyId} did not make`);
  }
  return { ...checkpoint, publicKey: { keyId: publicKey.keyId, fingerprint: publicKey.fingerprint, publicKeyPem: publicKey.publicKeyPem } };
}
