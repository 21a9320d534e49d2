// A throwaway database per test file on the real Postgres server: created and migrated with the app's
// own migration runner, dropped afterwards (WITH FORCE, so a killed app's sessions do not keep it).
import { existsSync } from "node:fs";
import pg from "pg";
import { applyMigrations } from "../../../lib/db/migrate.ts";
import { serverDatabaseUrl } from "./config.ts";

export interface ThrowawayDatabase {
  name: string;
  url: string;
  /** A pool for the test's own queries (verification, tokens). */
  pool: pg.Pool;
  drop(): Promise<void>;
}

const PREFIX = "hindsight_faults_";

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverDatabaseUrl(), connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `the fault suite needs a real Postgres server (HINDSIGHT_FAULTS_DATABASE_URL, DATABASE_URL or postgresql://postgres@127.0.0.1:5432): ${(err as Error).message}`,
    );
  }
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => {});
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops databases left by earlier runs that died before their teardown (their process is gone). */
async function dropStale(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${PREFIX}%`]);
  for (const { datname } of rows) {
    const pid = Number(/^hindsight_faults_(\d+)_/.exec(datname)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !pidAlive(pid) && !existsSync(`/proc/${pid}`)) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  }
}

export async function createThrowawayDatabase(label: string): Promise<ThrowawayDatabase> {
  const name = `${PREFIX}${process.pid}_${label.replace(/\W/g, "_")}`;
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ v: string }>("SELECT version() AS v");
    if (rows[0].v.includes("PGlite")) throw new Error("the fault suite needs a real Postgres server, not the embedded PGlite");
    await dropStale(admin);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const u = new URL(serverDatabaseUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations(client);
  } finally {
    await client.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => {});
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end().catch(() => {});
      if (process.env.HINDSIGHT_FAULTS_KEEP_DB === "1") {
        console.log(`fault suite: kept database ${name} (HINDSIGHT_FAULTS_KEEP_DB=1)`);
        return;
      }
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
