import { describe, expect, it } from "vitest";
import { foldSubtrees, inclusionProofRanges, leafHash, nodeHash, perfectDecomposition, splitPoint, verifyInclusion } from "./merkle.ts";

// The RFC 9162 definitions, written naively, as the oracle.
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`record ${i}`)));
const subtreeHash = (leaves: Buffer[], level: number, idx: number) => mth(leaves.slice(idx * 2 ** level, (idx + 1) * 2 ** level));

describe("RFC 9162 Merkle tree", () => {
  it("hashes leaves and nodes with the 0x00 / 0x01 prefixes", () => {
    // SHA-256 of the single byte 0x00: the hash of an empty leaf.
    expect(leafHash(Buffer.alloc(0)).toString("hex")).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  });

  it("computes the same root from perfect subtrees as the RFC's recursion, for every size up to 70", () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = leavesOf(n);
      const refs = perfectDecomposition(0, n);
      expect(foldSubtrees(refs.map((r) => subtreeHash(leaves, r.level, r.idx)))).toEqual(mth(leaves));
    }
  });

  it("builds inclusion proofs equal to the RFC's PATH, which verify; wrong ones do not", () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = leavesOf(n);
      const root = mth(leaves);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProofRanges(m, n).map(([a, b]) =>
          foldSubtrees(perfectDecomposition(a, b).map((r) => subtreeHash(leaves, r.level, r.idx))),
        );
        expect(proof).toEqual(path(m, leaves));
        expect(verifyInclusion(m, n, leaves[m], proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from("tampered")), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaves[m], proof, root)).toBe(m === (m + 1) % n);
        if (proof.length) expect(verifyInclusion(m, n, leaves[m], proof.slice(1), root)).toBe(false);
      }
    }
  });
});
