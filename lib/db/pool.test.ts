// The app's pool under database faults: it gives up on a database that accepts connections but never
// answers (a partition) instead of waiting forever, and a connection lost under a checked-out client
// fails that client's next query instead of becoming an uncaught exception.
import net from "node:net";
import { afterEach, describe, expect, inject, it } from "vitest";
import { closePool, getPool } from "./pool.ts";
import { isDatabaseUnavailable } from "../ingest/http.ts";

const saved = { url: process.env.DATABASE_URL, timeout: process.env.HINDSIGHT_DB_CONNECT_TIMEOUT_MS };

afterEach(async () => {
  await closePool();
  process.env.DATABASE_URL = saved.url;
  if (saved.timeout === undefined) delete process.env.HINDSIGHT_DB_CONNECT_TIMEOUT_MS;
  else process.env.HINDSIGHT_DB_CONNECT_TIMEOUT_MS = saved.timeout;
});

describe("getPool", () => {
  it("times out connecting to a database that never answers, with an error ingest treats as unavailable", async () => {
    const held: net.Socket[] = [];
    const blackHole = net.createServer((s) => {
      held.push(s);
      s.resume();
    });
    await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", () => r()));
    const { port } = blackHole.address() as net.AddressInfo;
    process.env.DATABASE_URL = `postgresql://nobody@127.0.0.1:${port}/none`;
    process.env.HINDSIGHT_DB_CONNECT_TIMEOUT_MS = "300";
    try {
      const started = Date.now();
      const err = await Promise.race([
        getPool().query("SELECT 1").then(
          () => null,
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r("still waiting after 5 s"), 5_000)),
      ]);
      expect(err).toBeInstanceOf(Error);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => blackHole.close(() => r()));
    }
  });

  it("reports a connection lost while a client is checked out to the client's next query, not as an uncaught error", async () => {
    const target = new URL(inject("databaseUrl"));
    const open: net.Socket[] = [];
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        s.on("error", () => {});
        open.push(s);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
    const through = new URL(target);
    through.hostname = "127.0.0.1";
    through.port = String((proxy.address() as net.AddressInfo).port);
    process.env.DATABASE_URL = through.toString();
    try {
      const client = await getPool().connect();
      await client.query("SELECT 1");
      // The database goes away between two statements of the holder (no query in flight).
      for (const s of open) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const err = await client.query("SELECT 1").then(
        () => null,
        (e: unknown) => e,
      );
      client.release(err as Error);
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
