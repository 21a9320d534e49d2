// The pg pool for raw SQL (bulk COPY, keyset pages, aggregates). One per process, from DATABASE_URL.
import pg from "pg";

// bigint columns come back as strings by default; ids stay strings (they can exceed 2^53 in principle),
// counts are cast in SQL where numbers are wanted.
let pool: pg.Pool | null = null;

export function getPool(): pg.Pool {
  if (!pool) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set (start the app with `npm start`, which provides one)");
    pool = new pg.Pool({ connectionString, max: Number(process.env.HINDSIGHT_DB_POOL ?? 8), idleTimeoutMillis: 5_000 });
    // An idle client erroring (server restart) must not crash the process; the next query reconnects.
    pool.on("error", (err) => console.error("database pool error:", err.message));
  }
  return pool;
}

export async function closePool(): Promise<void> {
  if (pool) {
    const p = pool;
    pool = null;
    await p.end();
  }
}

/** True when the server is PGlite, which cannot take COPY FROM STDIN over the wire. */
export async function isPGlite(client: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await client.query<{ v: string }>("SELECT version() AS v");
  return rows[0].v.includes("PGlite");
}
