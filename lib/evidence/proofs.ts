// Inclusion proofs for many leaves against one tree size. merkle-log's inclusionProof costs a query per
// leaf; an export of thousands of records fetches the distinct subtree hashes all proofs need in a few
// batched queries instead, then folds them exactly as merkle-log does.
import type pg from "pg";
import { foldSubtrees, inclusionProofRanges, perfectDecomposition, type SubtreeRef } from "../ingest/merkle.ts";

const BATCH = 5_000;
const key = (r: SubtreeRef) => `${r.level}:${r.idx}`;

export async function inclusionProofs(pool: pg.Pool, leafIndices: number[], treeSize: number): Promise<Map<number, Buffer[]>> {
  const plans = leafIndices.map((leaf) => ({ leaf, ranges: inclusionProofRanges(leaf, treeSize).map(([a, b]) => perfectDecomposition(a, b)) }));
  const wanted = new Map<string, SubtreeRef>();
  for (const p of plans) for (const refs of p.ranges) for (const r of refs) wanted.set(key(r), r);
  const refs = [...wanted.values()];
  const hashes = new Map<string, Buffer>();
  for (let i = 0; i < refs.length; i += BATCH) {
    const batch = refs.slice(i, i + BATCH);
    const { rows } = await pool.query<{ level: number; idx: string; hash: Buffer }>(
      `SELECT n.level, n.idx::text, n.hash FROM merkle_nodes n
         JOIN unnest($1::int[], $2::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx`,
      [batch.map((r) => r.level), batch.map((r) => r.idx)],
    );
    for (const r of rows) hashes.set(`${r.level}:${Number(r.idx)}`, r.hash);
  }
  const out = new Map<number, Buffer[]>();
  for (const p of plans) {
    out.set(
      p.leaf,
      p.ranges.map((rs) =>
        foldSubtrees(
          rs.map((r) => {
            const h = hashes.get(key(r));
            if (!h) throw new Error(`merkle log is missing node ${key(r)}`);
            return h;
          }),
        ),
      ),
    );
  }
  return out;
}
