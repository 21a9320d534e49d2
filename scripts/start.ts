// `npm start`: builds the app on first use (so `npm ci && npm start` is all a newcomer types), then
// serves it on the database from scripts/with-db.ts. PORT (default 3000) picks the HTTP port.
import { spawnSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
if (!existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: running `npm run build` once (about a minute)…");
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const child = spawn("npx", ["tsx", "scripts/with-db.ts", "--", process.execPath, "--import", "tsx", "scripts/serve.ts"], {
  stdio: "inherit",
  env,
});
process.on("SIGINT", () => child.kill("SIGINT"));
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code) => process.exit(code ?? 0));
