// Integration: the records' Merkle log grows with ingest; roots and proofs from the database verify.
import { describe, expect, it } from "vitest";
import { ingestBytes } from "../lib/ingest/ingest.ts";
import { leafHash, verifyInclusion } from "../lib/ingest/merkle.ts";
import { currentTreeSize, inclusionProof, treeRoot } from "../lib/ingest/merkle-log.ts";
import { uniquePdp, useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();

function events(pdp: string, n: number, offset = 0) {
  return Buffer.from(
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ labels: { id: pdp }, decision_id: `${pdp}-${offset + i}`, path: "x/allow", result: true, timestamp: "2026-05-01T00:00:00Z" }),
    ).join("\n"),
  );
}

describe("records Merkle log", () => {
  it("gives every stored record a gapless leaf index and proofs that verify against the root", async () => {
    const pool = getPool();
    const pdp = uniquePdp("merkle");
    const before = await currentTreeSize(pool);
    for (const [n, offset] of [[5, 0], [1, 5], [13, 6]] as const) await ingestBytes(pool, events(pdp, n, offset), { channel: "cli" });
    await ingestBytes(pool, events(pdp, 3, 0), { channel: "cli" }); // duplicates add no leaves
    const size = await currentTreeSize(pool);
    expect(size - before).toBeGreaterThanOrEqual(19);
    const { rows } = await pool.query(`SELECT leaf_index::int AS i, raw_bytes, leaf_hash FROM records WHERE pdp_instance = $1 ORDER BY leaf_index`, [pdp]);
    expect(rows).toHaveLength(19);
    const root = await treeRoot(pool, size);
    for (const r of rows) {
      expect(leafHash(r.raw_bytes).toString("hex")).toBe(r.leaf_hash);
      const proof = await inclusionProof(pool, r.i, size);
      expect(verifyInclusion(r.i, size, leafHash(r.raw_bytes), proof, root)).toBe(true);
    }
    // An older checkpoint's root still proves the records it held.
    const oldSize = rows[10].i + 1;
    const oldRoot = await treeRoot(pool, oldSize);
    const proof = await inclusionProof(pool, rows[3].i, oldSize);
    expect(verifyInclusion(rows[3].i, oldSize, leafHash(rows[3].raw_bytes), proof, oldRoot)).toBe(true);
    const { rows: all } = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT leaf_index)::int AS d, max(leaf_index)::int AS mx FROM records`);
    expect(all[0].n).toBe(all[0].d);
    expect(all[0].mx).toBe(size - 1);
  });

  it("refuses to change or remove Merkle nodes", async () => {
    await expect(getPool().query(`DELETE FROM merkle_nodes WHERE level = 0`)).rejects.toThrow(/append-only/);
    await expect(getPool().query(`UPDATE merkle_nodes SET hash = '\\x00'`)).rejects.toThrow(/append-only/);
  });
});
