// Browser tests (e2e/*.spec.ts) against the production server on a throwaway in-memory database.
// Run `npm run build` first; uses Debian's chromium (apt-get install chromium), never a downloaded browser.
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "./e2e",
  // Signs the e2e accounts in once; feature specs run as "e2e-all" (every role), role specs switch users.
  globalSetup: "./e2e/auth-setup.ts",
  fullyParallel: false,
  workers: 1, // 2-core machine; one shared embedded database
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    storageState: "e2e/.auth/e2e-all.json",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1400, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    // `npm start` opens the embedded PGlite (in memory here), migrates, loads the demo data, then `next start`.
    command: "npm run start",
    url: `${baseURL}/decisions`,
    env: {
      PORT: String(PORT),
      DATABASE_URL: "", // force the embedded DB even if .env or the shell sets one (dotenv keeps existing keys)
      HINDSIGHT_DATA_DIR: "memory://",
      HINDSIGHT_DB_PORT: process.env.E2E_DB_PORT ?? "54341",
      HINDSIGHT_DEMO: process.env.HINDSIGHT_DEMO ?? "on",
      HINDSIGHT_SETUP_CODE: "e2e-setup-code",
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
    },
    reuseExistingServer: !process.env.CI,
    timeout: 180_000, // demo data load on PGlite included
    stdout: "pipe",
  },
});
