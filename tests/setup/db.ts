// For integration tests: points DATABASE_URL (and so getPool / getPrisma) at the run's test database.
import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { closePool, getPool } from "../../lib/db/pool.ts";

export function useTestDatabase() {
  process.env.DATABASE_URL = inject("databaseUrl");
  afterAll(async () => {
    await closePool();
  });
  return getPool;
}

/** A PDP instance name no other test uses, so tests sharing the database never see each other's rows. */
export function uniquePdp(prefix = "pdp"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
