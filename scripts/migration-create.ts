// Authors a Prisma migration offline: diffs the committed migrations against prisma/schema.prisma with
// Prisma's WASM schema engine and a throwaway in-memory PGlite as shadow database, then writes
// prisma/migrations/<timestamp>_<name>/migration.sql. (Prisma's native engine cannot be downloaded here.)
// Usage: npm run db:migration -- <name>
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}
const root = process.cwd();
const migrationsDir = path.join(root, "prisma", "migrations");
const schemaPath = path.join(root, "prisma", "schema.prisma");

async function loadSchemaEngine() {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bg = await import(path.join(pkgDir, "schema_engine_bg.js"));
  const wasmModule = new WebAssembly.Module(readFileSync(path.join(pkgDir, "schema_engine_bg.wasm")));
  const instance = new WebAssembly.Instance(wasmModule, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg.SchemaEngine as {
    new: (opts: unknown, log: (msg: string) => void, adapter: unknown) => Promise<{
      diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
    }>;
  };
}

function existingMigrations() {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((dir) => {
      const file = path.join(migrationsDir, dir, "migration.sql");
      return {
        path: path.join(migrationsDir, dir),
        migrationFile: { path: file, content: { tag: "ok", value: readFileSync(file, "utf8") } },
      };
    });
}

const lockPath = path.join(migrationsDir, "migration_lock.toml");
mkdirSync(migrationsDir, { recursive: true });
if (!existsSync(lockPath)) writeFileSync(lockPath, 'provider = "postgresql"\n');
const SchemaEngine = await loadSchemaEngine();
const pglite = new PGlite();
const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite) as never);
const schema = readFileSync(schemaPath, "utf8");
const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, factory);
const result = await engine.diff({
  from: {
    tag: "migrations",
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: readFileSync(lockPath, "utf8") },
    shadowDbInitScript: "",
    migrationDirectories: existingMigrations(),
  },
  to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
  script: true,
  exitCode: null,
  shadowDatabaseUrl: null,
  filters: { externalTables: [], externalEnums: [] },
});
await pglite.close();
const sql = (result.stdout ?? "").trim();
if (!sql || /^-- This is an empty migration\.?$/.test(sql)) {
  console.log("No schema changes.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
process.exit(0);
