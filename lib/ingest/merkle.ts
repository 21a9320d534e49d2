// RFC 9162 (Certificate Transparency v2) Merkle tree hashing, pure: leaf and node hashes, the root of
// a tree from its perfect-subtree decomposition, inclusion proof shape, and proof verification.
// Offline verifiers (hindsight evidence verify) use exactly these functions.
import { createHash } from "node:crypto";

export function leafHash(data: Buffer): Buffer {
  return createHash("sha256").update(Buffer.from([0x00])).update(data).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash("sha256").update(Buffer.from([0x01])).update(left).update(right).digest();
}

/** Largest power of two strictly less than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A complete subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
export interface SubtreeRef {
  level: number;
  idx: number;
}

/** The complete subtrees that make up leaves [start, end), left to right (start aligned as in RFC 9162 recursion). */
export function perfectDecomposition(start: number, end: number): SubtreeRef[] {
  const out: SubtreeRef[] = [];
  let a = start;
  while (a < end) {
    let level = 0;
    // Grow while the subtree stays aligned at `a` and inside [a, end).
    while ((a % 2 ** (level + 1)) === 0 && a + 2 ** (level + 1) <= end) level++;
    out.push({ level, idx: a / 2 ** level });
    a += 2 ** level;
  }
  return out;
}

/** MTH of a range from its complete subtrees' hashes (right fold, as RFC 9162's split recursion gives). */
export function foldSubtrees(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return createHash("sha256").digest(); // MTH of the empty tree
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i], acc);
  return acc;
}

/**
 * The ranges whose hashes form the inclusion proof of leaf m in a tree of n leaves, bottom-up
 * (RFC 9162 §2.1.3.1 PATH). Each range's hash is the MTH of those leaves.
 */
export function inclusionProofRanges(m: number, n: number): [number, number][] {
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n} leaves`);
  const ranges: [number, number][] = [];
  const walk = (m: number, start: number, end: number): void => {
    const size = end - start;
    if (size === 1) return;
    const k = splitPoint(size);
    if (m < k) {
      walk(m, start, start + k);
      ranges.push([start + k, end]);
    } else {
      walk(m - k, start + k, end);
      ranges.push([start, start + k]);
    }
  };
  walk(m, 0, n);
  return ranges;
}

/** RFC 9162 §2.1.3.2: true when `proof` proves leaf `leafIndex` with hash `leaf` is in the tree with `root`. */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Buffer, proof: Buffer[], root: Buffer): boolean {
  if (leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}
