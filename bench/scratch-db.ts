// Benchmarks run in a throwaway database on the DATABASE_URL server (default: the machine's Postgres),
// migrated like the app's, and dropped afterwards.
import pg from "pg";
import { applyMigrations } from "../lib/db/migrate.ts";
import { closePool, getPool, isPGlite } from "../lib/db/pool.ts";

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function admin(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Runs `fn` with DATABASE_URL (and getPool) pointing at a fresh, migrated scratch database. */
export async function withScratchDatabase<T>(name: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const serverUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
  const dbName = `hindsight_bench_${name}_${Date.now()}`;
  await admin(serverUrl, `CREATE DATABASE ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
  try {
    const pool = getPool();
    if (await isPGlite(pool)) throw new Error("benchmarks measure the real Postgres path (COPY); point DATABASE_URL at a Postgres server");
    const c = await pool.connect();
    try {
      await applyMigrations(c);
    } finally {
      c.release();
    }
    return await fn(pool);
  } finally {
    await closePool();
    process.env.DATABASE_URL = serverUrl;
    await admin(serverUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}
