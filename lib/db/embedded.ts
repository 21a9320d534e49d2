// The embedded default database: PGlite (PostgreSQL compiled to WASM) served on 127.0.0.1 over the
// Postgres wire protocol, so the app, the CLI, psql and `pg` all use an ordinary postgresql:// URL.
// A data folder can be opened by one process only; the process serving it writes server.json into the
// folder so other processes (the CLI while the app runs) connect to it instead of opening it twice.
import { mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface EmbeddedDatabase {
  url: string;
  /** True when this process opened the data folder (and must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export const MEMORY_DATA_DIR = "memory://";

export function defaultDataDir(): string {
  return process.env.HINDSIGHT_DATA_DIR || path.join(process.cwd(), ".hindsight");
}

function serverInfoPath(dataDir: string): string {
  return path.join(dataDir, "server.json");
}

function urlFor(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A server another process is already running on this data folder, if any. */
export async function findRunningEmbedded(dataDir: string): Promise<string | null> {
  if (dataDir === MEMORY_DATA_DIR) return null;
  const file = serverInfoPath(dataDir);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as { pid: number; port: number };
    if (info.pid !== process.pid && processAlive(info.pid) && (await portAccepts(info.port))) return urlFor(info.port);
  } catch {
    // A torn or stale file: fall through and open the folder ourselves.
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Opens the data folder with PGlite and serves it on 127.0.0.1 (port 0 = any free port). */
export async function startEmbeddedDatabase(opts: { dataDir?: string; port?: number } = {}): Promise<EmbeddedDatabase> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  let db;
  if (dataDir === MEMORY_DATA_DIR) {
    db = await PGlite.create(MEMORY_DATA_DIR);
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create(path.join(dataDir, "pgdata"));
  }
  const port = opts.port || (await freePort());
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 32 } as ConstructorParameters<
    typeof PGLiteSocketServer
  >[0]);
  await server.start();
  if (dataDir !== MEMORY_DATA_DIR) {
    writeFileSync(serverInfoPath(dataDir), JSON.stringify({ pid: process.pid, port }) + "\n");
  }
  let stopped = false;
  return {
    url: urlFor(port),
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (dataDir !== MEMORY_DATA_DIR) rmSync(serverInfoPath(dataDir), { force: true });
    },
  };
}
