// A TCP proxy between the app and Postgres that a test can cut and restore. The outage tests use it
// instead of stopping the machine's Postgres service, which other work on this machine shares: from the
// app's side a cut proxy looks exactly like a database that went away (connections reset, new ones
// refused), and a black-holed proxy like a network partition (connections accepted, never answered).
import net from "node:net";

export type ProxyMode = "open" | "refuse" | "blackhole";

export class PgProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<[net.Socket, net.Socket | null]>();
  private _mode: ProxyMode = "open";
  /** Connections accepted while black-holed. */
  readonly held = new Set<net.Socket>();
  port = 0;
  connections = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(databaseUrl: string): PgProxy {
    const u = new URL(databaseUrl);
    return new PgProxy(u.hostname || "127.0.0.1", Number(u.port || 5432));
  }

  get mode(): ProxyMode {
    return this._mode;
  }

  /** The database URL with host and port replaced by the proxy's. */
  urlThrough(databaseUrl: string): string {
    const u = new URL(databaseUrl);
    u.hostname = "127.0.0.1";
    u.port = String(this.port);
    return u.toString();
  }

  async start(port = 0): Promise<number> {
    await this.listen(port);
    return this.port;
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    this.connections++;
    client.on("error", () => {});
    if (this._mode === "blackhole") {
      // Accept and read, never forward or answer: the app's connect never completes.
      this.held.add(client);
      client.on("close", () => this.held.delete(client));
      client.resume();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair: [net.Socket, net.Socket | null] = [client, upstream];
    this.pairs.add(pair);
    upstream.on("error", () => client.destroy());
    client.on("close", () => {
      upstream.destroy();
      this.pairs.delete(pair);
    });
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Destroys every open connection (both sides). */
  private dropAll(): void {
    for (const [c, u] of this.pairs) {
      c.destroy();
      u?.destroy();
    }
    this.pairs.clear();
    for (const s of this.held) s.destroy();
    this.held.clear();
  }

  /** Database down: open connections reset, new ones refused (the listening socket is closed). */
  async cut(): Promise<void> {
    this._mode = "refuse";
    const server = this.server;
    this.server = null;
    this.dropAll();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Network partition: open connections reset, new ones accepted but never answered. */
  async blackhole(): Promise<void> {
    this.dropAll();
    this._mode = "blackhole";
    if (!this.server) await this.listen(this.port);
  }

  /** Database back: new connections are forwarded again (black-holed ones are reset). */
  async restore(): Promise<void> {
    for (const s of this.held) s.destroy();
    this.held.clear();
    this._mode = "open";
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    this.dropAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
