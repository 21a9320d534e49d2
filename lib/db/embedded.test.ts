// The embedded database serves several pg connections from PGlite's single session: concurrent
// extended-protocol queries with different parameter counts, and transactions, must not interleave.
import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { MEMORY_DATA_DIR, startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded.ts";

let db: EmbeddedDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await startEmbeddedDatabase({ dataDir: MEMORY_DATA_DIR });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  await pool.query("CREATE TABLE t (id int PRIMARY KEY, v text)");
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await db?.stop();
});

it("answers many concurrent parameterised queries from 8 connections correctly", async () => {
  const jobs = Array.from({ length: 400 }, (_, i) => {
    const n = (i % 6) + 1;
    const params = Array.from({ length: n }, (_, k) => i * 10 + k);
    const sql = `SELECT ${params.map((_, k) => `$${k + 1}::int`).join(" + ")} AS s`;
    return pool.query<{ s: number }>(sql, params).then((r) => [r.rows[0].s, params.reduce((a, b) => a + b, 0)]);
  });
  for (const [got, want] of await Promise.all(jobs)) expect(got).toBe(want);
});

it("keeps each connection's transaction to itself while others query", async () => {
  const tx = async (id: number) => {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("INSERT INTO t (id, v) VALUES ($1, $2)", [id, `v${id}`]);
      if (id % 2 === 0) await c.query("ROLLBACK");
      else await c.query("COMMIT");
    } finally {
      c.release();
    }
  };
  const readers = Array.from({ length: 50 }, (_, i) => pool.query("SELECT $1::int AS x, $2::text AS y", [i, "r"]));
  await Promise.all([...Array.from({ length: 40 }, (_, i) => tx(i)), ...readers]);
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM t");
  expect(rows[0].n).toBe(20);
});
