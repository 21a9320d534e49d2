// The pg pool for raw SQL (bulk COPY, keyset pages, aggregates). One per process, from DATABASE_URL.
import pg from "pg";

// bigint columns come back as strings by default; ids stay strings (they can exceed 2^53 in principle),
// counts are cast in SQL where numbers are wanted.
let pool: pg.Pool | null = null;

/** HINDSIGHT_DB_CONNECT_TIMEOUT_MS, default 5 s. */
export function connectTimeoutMs(): number {
  const n = Number(process.env.HINDSIGHT_DB_CONNECT_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 5_000;
}

export function getPool(): pg.Pool {
  if (!pool) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set (start the app with `npm start`, which provides one)");
    pool = new pg.Pool({
      connectionString,
      max: Number(process.env.HINDSIGHT_DB_POOL ?? 8),
      idleTimeoutMillis: 5_000,
      // A connect to an unreachable database (network partition, host down without a reset) otherwise
      // waits forever, and so does every request behind it; ingest answers this timeout with a 503.
      connectionTimeoutMillis: connectTimeoutMs(),
    });
    // An idle client erroring (server restart) must not crash the process; the next query reconnects.
    pool.on("error", (err) => console.error("database pool error:", err.message));
    // pg-pool listens for errors only while a client is idle. A connection lost while a client is checked
    // out between two queries (an ingest transaction, a task refresh working in JS) would otherwise be an
    // unhandled 'error' event, i.e. an uncaught exception; the holder's next query fails on its own.
    pool.on("connect", (client) => {
      client.on("error", (err) => console.error("database connection lost:", err.message));
    });
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
