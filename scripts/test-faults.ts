// `npm run test:faults`: the fault-injection suite (tests/faults) against the production build.
// Builds first when there is no build or a source file is newer than it (HINDSIGHT_FAULTS_BUILD=always
// or =never overrides), then runs vitest with vitest.faults.config.ts; extra arguments go to vitest
// (`npm run test:faults -- tests/faults/crash.test.ts`). Needs a real Postgres server: see
// tests/faults/support/config.ts. HINDSIGHT_LOAD_SECONDS shortens the load test while iterating.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const started = Date.now();

/** Newest modification time under the app's sources. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (!name.endsWith(".test.ts") && name !== "node_modules") walk(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "lib", "components", "proxy.ts", "middleware.ts", "next.config.ts", "package.json", "prisma/schema.prisma"]) walk(path.join(root, p));
  return newest;
}

const buildId = path.join(root, ".next/BUILD_ID");
const mode = process.env.HINDSIGHT_FAULTS_BUILD ?? "auto";
const stale = !existsSync(buildId) || statSync(buildId).mtimeMs < newestSource();
if (mode === "always" || (mode !== "never" && stale)) {
  console.log(existsSync(buildId) ? "Sources changed since the last build: rebuilding…" : "No production build yet: building…");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const vitest = spawnSync("npx", ["vitest", "run", "-c", "vitest.faults.config.ts", ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env });
console.log(`test:faults took ${((Date.now() - started) / 60_000).toFixed(1)} min`);
process.exit(vitest.status ?? 1);
