// `npm run test:faults`: the fault-injection suite (tests/faults). It runs the production build with
// `next start` against throwaway databases on a real Postgres server, kills it, cuts its database and
// floods it with hostile bodies, so it has its own config: files one at a time (they share two cores
// and the Postgres server), long timeouts, and it is excluded from the ordinary `vitest run`.
import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/faults/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    // One server per file; a file's tests run in order and share it.
    sequence: { concurrent: false },
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    // The suite prints its measured numbers; keep them in the output.
    silent: false,
  },
});
