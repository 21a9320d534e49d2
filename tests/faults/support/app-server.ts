// The real app: the production build (`next build`, made before the suite runs) served by
// scripts/serve.ts, as `npm start` does, as a child process of the test, so a test can `kill -9` it
// mid-write and start it again on the same port and database. It is run with node directly (not
// through npx) so the child's pid is the server's own pid: SIGKILL then hits the process that holds
// the database connections.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from "node:fs";
import net from "node:net";
import path from "node:path";
import { HEALTH_CHECK } from "./endpoints.ts";
import { request } from "./http.ts";
import { RESULTS_DIR, ROOT } from "./config.ts";

// The same server `npm start` runs (Next behind node:http, stamping each request with its socket peer).
const SERVE_SCRIPT = path.join(ROOT, "scripts/serve.ts");
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the suite killed or stopped it; false means it died on its own. */
  requested: boolean;
}

export interface AppServerOptions {
  /** Names the log file (tests/faults/results/<name>-server.log). */
  name: string;
  databaseUrl: string;
  env?: Record<string, string>;
}

export class AppServer {
  readonly exits: ServerExit[] = [];
  /** Every pid this server has run as, in order. */
  readonly pids: number[] = [];
  private child: ChildProcess | null = null;
  private requestedExit = false;
  private readonly log: WriteStream;
  private recent: string[] = [];
  /** Lines where the server reported an error nothing handled (Next logs these instead of exiting). */
  readonly processErrors: string[] = [];

  private constructor(
    readonly port: number,
    private readonly opts: AppServerOptions,
  ) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    this.log = createWriteStream(path.join(RESULTS_DIR, `${opts.name}-server.log`), { flags: "w" });
  }

  static async start(opts: AppServerOptions): Promise<AppServer> {
    if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
      throw new Error("no production build: run `npm run build` first (`npm run test:faults` does)");
    }
    const server = new AppServer(await freePort(), opts);
    await server.launch();
    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  isRunning(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Exits the suite did not ask for (crashes). */
  unexpectedExits(): ServerExit[] {
    return this.exits.filter((e) => !e.requested);
  }

  /** The last lines the server printed (for failure messages). */
  tail(n = 40): string {
    return this.recent.slice(-n).join("");
  }

  private async launch(): Promise<void> {
    this.requestedExit = false;
    const child = spawn(process.execPath, ["--import", "tsx", SERVE_SCRIPT], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(this.port),
        HOST: "127.0.0.1",
        DATABASE_URL: this.opts.databaseUrl,
        HINDSIGHT_DEMO: "off",
        NEXT_TELEMETRY_DISABLED: "1",
        CHECKPOINT_DISABLE: "1",
        ...this.opts.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    live.add(child);
    const pid = child.pid ?? -1;
    this.pids.push(pid);
    this.log.write(`\n=== start pid ${pid} at ${new Date().toISOString()}\n`);
    const onData = (chunk: Buffer) => {
      this.log.write(chunk);
      for (const line of chunk.toString("utf8").split("\n")) {
        if (/uncaughtException|unhandledRejection/.test(line)) this.processErrors.push(line.trim());
      }
      this.recent.push(chunk.toString("utf8"));
      if (this.recent.length > 400) this.recent = this.recent.slice(-200);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      live.delete(child);
      this.exits.push({ pid, code, signal, requested: this.requestedExit });
      this.log.write(`=== pid ${pid} exited code=${code} signal=${signal}${this.requestedExit ? "" : " (UNEXPECTED)"}\n`);
    });
    await this.waitReady(child);
  }

  private async waitReady(child: ChildProcess, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the app exited while starting (code ${child.exitCode}, signal ${child.signalCode}):\n${this.tail()}`);
      }
      if (await this.healthy(2_000)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the app did not become ready on port ${this.port} within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** True when the server answers the health check as expected (see HEALTH_CHECK). */
  async healthy(timeoutMs = 5_000): Promise<boolean> {
    const o = await request({ ...HEALTH_CHECK.request(this.baseUrl), timeoutMs });
    return o.status === HEALTH_CHECK.expectStatus;
  }

  /** SIGKILL: no shutdown hooks, no flush, open transactions die with the connection. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    this.requestedExit = true;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGKILL");
    await exited;
  }

  /** Starts the server again (same port, same database) after a kill. */
  async restart(): Promise<void> {
    if (this.isRunning()) throw new Error("restart: the server is still running");
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && this.isRunning()) {
      this.requestedExit = true;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}
