import "dotenv/config";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI insists on its native schema engine, which cannot be downloaded on offline machines.
// `prisma generate` never uses it, so point the CLI at a stub unless a real engine is present.
// Migrations are authored and applied by scripts/migration-create.ts and lib/db/migrate.ts instead.
const enginesDir = path.join("node_modules", "@prisma", "engines");
const hasNativeEngine = existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
if (!hasNativeEngine && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.resolve("scripts/no-schema-engine.sh");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
