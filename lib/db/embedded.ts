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
  keepExtendedQueriesTogether(server);
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

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

interface SocketQueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: { isInTransaction(): boolean; runExclusive<T>(fn: () => Promise<T>): Promise<T>; execProtocolRawStream(m: Uint8Array, o: { onRawData: (d: Uint8Array) => void }): Promise<unknown> };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend messages that end a unit of work: Sync, simple Query, Terminate. Anything else (Parse, Bind,
// Describe, Execute, Flush, Close) is part of an extended-query sequence that must reach PGlite's one
// session without another connection's messages in between.
const ENDS_SEQUENCE = new Set([0x53, 0x51, 0x58]);

/**
 * pglite-socket queues each protocol message on its own and only keeps a connection's messages together
 * inside an explicit transaction, so two connections' extended queries (Parse/Bind/Execute/Sync) can
 * interleave on PGlite's single session ("bind message supplies 2 parameters, but prepared statement
 * requires 6"). This replaces its queue loop with one that also serves a connection exclusively from
 * its Parse to its Sync. A connection that stalls mid-sequence loses that claim after a second.
 */
export function keepExtendedQueriesTogether(server: unknown): void {
  const q = (server as { queryQueue?: SocketQueryQueue }).queryQueue;
  if (!q || typeof q.processQueue !== "function") throw new Error("pglite-socket changed: its query queue is not where expected");
  let sticky: number | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  const originalClear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    originalClear(handlerId);
    if (sticky === handlerId) {
      sticky = null;
      void q.processQueue();
    }
  };
  q.processQueue = async function processQueue(this: SocketQueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = sticky ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (owner !== null) {
          const index = this.queue.findIndex((m) => m.handlerId === owner);
          if (index === -1) {
            // The owner has not sent its next message yet; wait for it (briefly, if it is mid-sequence).
            if (sticky !== null && !stallTimer) {
              stallTimer = setTimeout(() => {
                stallTimer = null;
                sticky = null;
                void q.processQueue();
              }, 1000);
            }
            break;
          }
          item = this.queue.splice(index, 1)[0];
        } else item = this.queue.shift();
        if (!item) break;
        if (stallTimer) {
          clearTimeout(stallTimer);
          stallTimer = null;
        }
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          sticky = null;
          item.reject(err);
          continue;
        }
        const type = item.message[0];
        // The startup packet has no type byte (its first byte is the length's high byte, 0).
        sticky = type === 0 || ENDS_SEQUENCE.has(type) ? null : item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
