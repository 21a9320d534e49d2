// The app's pool gives up on a database that accepts connections but never answers (a partition),
// with an error ingest maps to 503, instead of waiting forever.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
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
});
