// The records' append-only Merkle log in Postgres. Leaves are appended inside the ingest transaction
// (which holds the ingest lock, so indices are gapless and ordered); every complete subtree's hash is
// stored once, so roots and inclusion proofs for any tree size cost O(log n) lookups.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { foldSubtrees, inclusionProofRanges, nodeHash, perfectDecomposition, type SubtreeRef } from "./merkle.ts";

const key = (level: number, idx: number) => `${level}:${idx}`;

async function fetchNodes(client: pg.ClientBase, refs: SubtreeRef[]): Promise<Map<string, Buffer>> {
  if (refs.length === 0) return new Map();
  const { rows } = await client.query<{ level: number; idx: string; hash: Buffer }>(
    `SELECT n.level, n.idx::text, n.hash FROM merkle_nodes n
       JOIN unnest($1::int[], $2::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx`,
    [refs.map((r) => r.level), refs.map((r) => r.idx)],
  );
  return new Map(rows.map((r) => [key(r.level, Number(r.idx)), r.hash]));
}

/** Appends leaves; returns the index of the first. Call inside the ingest transaction. */
export async function appendLeaves(client: pg.ClientBase, leaves: Buffer[], strategy: "copy" | "insert"): Promise<number> {
  const n = leaves.length;
  const { rows } = await client.query<{ start: string }>(
    `UPDATE merkle_log_state SET tree_size = tree_size + $1 WHERE id = 1 RETURNING (tree_size - $1)::text AS start`,
    [n],
  );
  if (rows.length === 0) throw new Error("merkle_log_state is missing its row; the database was not migrated correctly");
  const start = Number(rows[0].start);
  if (n === 0) return start;
  // The frontier: the complete subtrees of the current tree, whose left halves new nodes may need.
  const frontier = await fetchNodes(client, perfectDecomposition(0, start));
  const created = new Map<string, Buffer>();
  const get = (level: number, idx: number) => created.get(key(level, idx)) ?? frontier.get(key(level, idx));
  const newNodes: [number, number, Buffer][] = [];
  for (let i = 0; i < n; i++) {
    let level = 0;
    let idx = start + i;
    let hash = leaves[i];
    created.set(key(level, idx), hash);
    newNodes.push([level, idx, hash]);
    while (idx % 2 === 1) {
      const left = get(level, idx - 1);
      if (!left) throw new Error(`merkle log is missing node ${level}:${idx - 1}`);
      hash = nodeHash(left, hash);
      level++;
      idx = (idx - 1) / 2;
      created.set(key(level, idx), hash);
      newNodes.push([level, idx, hash]);
    }
  }
  if (strategy === "copy") {
    const lines = newNodes.map(([l, i, h]) => `${l},${i},\\x${h.toString("hex")}\n`);
    const chunks: string[] = [];
    for (let i = 0; i < lines.length; i += 2000) chunks.push(lines.slice(i, i + 2000).join(""));
    await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY merkle_nodes (level, idx, hash) FROM STDIN WITH (FORMAT csv)`)));
  } else {
    await client.query(
      `INSERT INTO merkle_nodes (level, idx, hash) SELECT l, i, decode(h, 'hex') FROM unnest($1::int[], $2::bigint[], $3::text[]) AS t(l, i, h)`,
      [newNodes.map((x) => x[0]), newNodes.map((x) => x[1]), newNodes.map((x) => x[2].toString("hex"))],
    );
  }
  return start;
}

export async function currentTreeSize(client: pg.ClientBase | pg.Pool): Promise<number> {
  const { rows } = await client.query<{ size: string }>(`SELECT tree_size::text AS size FROM merkle_log_state WHERE id = 1`);
  return Number(rows[0]?.size ?? 0);
}

/** The log's root hash at any size up to the current one. */
export async function treeRoot(client: pg.ClientBase | pg.Pool, size: number): Promise<Buffer> {
  const refs = perfectDecomposition(0, size);
  const nodes = await fetchNodes(client as pg.ClientBase, refs);
  return foldSubtrees(refs.map((r) => mustGet(nodes, r)));
}

/** Inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves (RFC 9162 order, bottom-up). */
export async function inclusionProof(client: pg.ClientBase | pg.Pool, leafIndex: number, treeSize: number): Promise<Buffer[]> {
  const ranges = inclusionProofRanges(leafIndex, treeSize).map(([a, b]) => perfectDecomposition(a, b));
  const nodes = await fetchNodes(client as pg.ClientBase, ranges.flat());
  return ranges.map((refs) => foldSubtrees(refs.map((r) => mustGet(nodes, r))));
}

function mustGet(nodes: Map<string, Buffer>, r: SubtreeRef): Buffer {
  const h = nodes.get(key(r.level, r.idx));
  if (!h) throw new Error(`merkle log is missing node ${r.level}:${r.idx}`);
  return h;
}
