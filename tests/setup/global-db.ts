// Vitest global setup: one throwaway database per test run.
// With DATABASE_URL (CI: the real Postgres on 127.0.0.1:5432) a fresh database is created on that
// server and dropped afterwards; without it, an in-memory embedded PGlite is served on loopback.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { startEmbeddedDatabase, MEMORY_DATA_DIR } from "../../lib/db/embedded.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  let url: string;
  let teardown: () => Promise<void>;
  if (serverUrl) {
    const name = `hindsight_test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    teardown = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const db = await startEmbeddedDatabase({ dataDir: MEMORY_DATA_DIR });
    url = db.url;
    teardown = () => db.stop();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await applyMigrations(client);
  await client.end();
  project.provide("databaseUrl", url);
  return teardown;
}
