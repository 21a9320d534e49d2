import { configDefaults, defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts", "bin/**/*.test.ts"],
    // The fault-injection suite needs a production build and a real Postgres server: `npm run test:faults`.
    exclude: [...configDefaults.exclude, "tests/faults/**"],
    environment: "node",
    globalSetup: ["tests/setup/global-db.ts"],
    // Integration tests share one database per run (see tests/setup/global.ts); run files one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
