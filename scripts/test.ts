// `npm test`: every test. Unit + integration (vitest) against DATABASE_URL when set, else the embedded
// database; then the browser tests (Playwright, Debian's Chromium) against a production build of the app.
// Ends with one line "tests: N passed, N failed" that counts both runners.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const out = mkdtempSync(path.join(tmpdir(), "hindsight-test-"));
let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return r.status ?? 1;
}

// 1. vitest
const vitestJson = path.join(out, "vitest.json");
const vitestStatus = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (vitestStatus !== 0) ok = false;

// 2. Playwright
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (process.env.HINDSIGHT_SKIP_E2E === "1") {
  console.log("Browser tests skipped (HINDSIGHT_SKIP_E2E=1).");
} else if (!existsSync(chromium)) {
  console.error(`Browser tests need Chromium at ${chromium}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH), or set HINDSIGHT_SKIP_E2E=1.`);
  ok = false;
  failed += 1;
} else {
  const buildStatus = run("npm", ["run", "build"]);
  if (buildStatus !== 0) {
    ok = false;
    failed += 1;
  } else {
    const pwJson = path.join(out, "playwright.json");
    const pwStatus = run("npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
    if (existsSync(pwJson)) {
      const s = JSON.parse(readFileSync(pwJson, "utf8")).stats ?? {};
      passed += (s.expected ?? 0) + (s.flaky ?? 0);
      failed += s.unexpected ?? 0;
      skipped += s.skipped ?? 0;
    }
    if (pwStatus !== 0) ok = false;
  }
}

console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(ok && failed === 0 ? 0 : 1);
