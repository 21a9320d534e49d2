// Opens the database for one CLI command and always closes it, so the process can exit.
import { openDatabase } from "../lib/db/open.ts";
import { closePool, getPool } from "../lib/db/pool.ts";
import type pg from "pg";

export async function withDatabase<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  process.env.DATABASE_URL = db.url;
  try {
    return await fn(getPool());
  } finally {
    await closePool();
    await db.close();
  }
}
