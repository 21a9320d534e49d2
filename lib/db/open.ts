// One entry point for every process that needs the database (app start, CLI, tests, benchmarks):
// DATABASE_URL when set, else the embedded PGlite in HINDSIGHT_DATA_DIR (default ./.hindsight).
// Migrations are applied on open, so a fresh folder or database is ready to use.
import pg from "pg";
import { applyMigrations } from "./migrate.ts";
import { defaultDataDir, findRunningEmbedded, startEmbeddedDatabase } from "./embedded.ts";

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Names of migrations applied by this open. */
  migrated: string[];
  close(): Promise<void>;
}

export async function openDatabase(opts: { dataDir?: string; port?: number; migrate?: boolean } = {}): Promise<OpenDatabase> {
  const envUrl = process.env.DATABASE_URL?.trim();
  let url: string;
  let embedded = false;
  let close = async () => {};
  if (envUrl) {
    url = envUrl;
  } else {
    embedded = true;
    const dataDir = opts.dataDir ?? defaultDataDir();
    const running = await findRunningEmbedded(dataDir);
    if (running) {
      url = running;
    } else {
      const db = await startEmbeddedDatabase({ dataDir, port: opts.port });
      url = db.url;
      close = () => db.stop();
    }
  }
  let migrated: string[] = [];
  if (opts.migrate !== false) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
    } catch (err) {
      await close();
      throw new Error(`cannot connect to the database at ${redactUrl(url)}: ${(err as Error).message}`);
    }
    try {
      migrated = await applyMigrations(client);
    } finally {
      await client.end();
    }
  }
  return { url, embedded, migrated, close };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, "//$1:***@");
}
