// Runs a command (next start / next dev) with a ready database: DATABASE_URL when set, else the
// embedded PGlite in HINDSIGHT_DATA_DIR. Applies migrations and loads demo data into an empty database.
// Usage: tsx scripts/with-db.ts -- <command...>
import { spawn } from "node:child_process";
import { openDatabase, redactUrl } from "../lib/db/open.ts";
import { closePool, getPool } from "../lib/db/pool.ts";
import { countUsers } from "../lib/auth/users.ts";
import { newSetupCode } from "../lib/auth/setup.ts";
import { loadDemoDataIfEmpty } from "../lib/seed/demo.ts";

const sep = process.argv.indexOf("--");
const command = sep >= 0 ? process.argv.slice(sep + 1) : process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: tsx scripts/with-db.ts -- <command...>");
  process.exit(2);
}

const db = await openDatabase({ port: Number(process.env.HINDSIGHT_DB_PORT) || undefined });
console.log(`database: ${db.embedded ? "embedded PGlite" : "DATABASE_URL"} ${redactUrl(db.url)}${db.migrated.length ? ` (applied ${db.migrated.join(", ")})` : ""}`);
process.env.DATABASE_URL = db.url;
if (process.env.HINDSIGHT_DEMO !== "off") {
  const loaded = await loadDemoDataIfEmpty();
  if (loaded) console.log(`demo data: loaded ${loaded.accepted} records (hindsight demo --reset reloads them)`);
}
// First run: nobody can sign in yet, so print a one-time set-up link (the code keeps a server on a shared
// network from being claimed by whoever finds it first). HINDSIGHT_SETUP_CODE fixes the code (automation).
if ((await countUsers(getPool())) === 0) {
  process.env.HINDSIGHT_SETUP_CODE ||= newSetupCode();
  const host = process.env.HOST ?? "127.0.0.1";
  console.log(`no users yet: create the first admin at http://${host === "0.0.0.0" ? "localhost" : host}:${process.env.PORT ?? 3000}/setup?code=${process.env.HINDSIGHT_SETUP_CODE}`);
  console.log("  (or from a shell: hindsight users add <name> --role admin --role investigator --password-stdin)");
}
await closePool();

const child = spawn(command[0], command.slice(1), {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
  shell: process.platform === "win32",
});
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
child.on("exit", async (code, signal) => {
  await db.close();
  process.exit(code ?? (signal ? 1 : 0));
});
