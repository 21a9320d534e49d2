// Starts the real Cerbos PDP (npm package @cerbos/cerbos-linux-x64) on loopback ports for
// differential tests and benchmarks. Telemetry and audit are off; only 127.0.0.1 is bound.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import type { JsonValue } from "../../types.ts";

export interface CerbosServer {
  url: string;
  stop(): Promise<void>;
}

/** Path of the Cerbos binary, or undefined with the reason it cannot be used. */
export function findCerbosBinary(): { path?: string; reason?: string } {
  if (process.platform !== "linux" || process.arch !== "x64") return { reason: `the Cerbos npm binary is linux-x64 only (this is ${process.platform}-${process.arch})` };
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve("@cerbos/cerbos-linux-x64/package.json");
    const bin = join(dirname(pkg), "cerbos-linux-x64");
    if (!existsSync(bin)) return { reason: `binary missing at ${bin}` };
    return { path: bin };
  } catch {
    return { reason: "optional dependency @cerbos/cerbos-linux-x64 is not installed" };
  }
}

/** Two distinct free loopback ports: both listeners are held open until both are known. */
async function freePorts(): Promise<[number, number]> {
  const open = () =>
    new Promise<Server>((resolve, reject) => {
      const srv = createServer();
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => resolve(srv));
    });
  const servers = [await open(), await open()];
  const ports = servers.map((srv) => {
    const addr = srv.address();
    return typeof addr === "object" && addr ? addr.port : 0;
  });
  await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  return [ports[0]!, ports[1]!];
}

export interface StartOptions {
  policyDir: string;
  globals?: Record<string, JsonValue>;
  schemaEnforcement?: "none" | "warn" | "reject";
  lenientScopeSearch?: boolean;
  strictEvaluation?: boolean;
  /** Write decision logs (file backend) to this path. */
  decisionLogPath?: string;
}

export async function startCerbosServer(opts: StartOptions): Promise<CerbosServer> {
  // Another process (parallel test files) can grab a port between our probe and Cerbos binding
  // it; Cerbos then exits and a health check could even reach the other server. Retry on new ports.
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(opts: StartOptions): Promise<CerbosServer> {
  const { path: bin, reason } = findCerbosBinary();
  if (!bin) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), "hindsight-cerbos-"));
  const [httpPort, grpcPort] = await freePorts();
  const config = {
    server: { httpListenAddr: `127.0.0.1:${httpPort}`, grpcListenAddr: `127.0.0.1:${grpcPort}` },
    storage: { driver: "disk", disk: { directory: opts.policyDir, watchForChanges: false } },
    engine: { globals: opts.globals ?? {}, lenientScopeSearch: opts.lenientScopeSearch ?? false, strictEvaluation: opts.strictEvaluation ?? false },
    schema: { enforcement: opts.schemaEnforcement ?? "none" },
    auxData: { jwt: { disableVerification: true } },
    telemetry: { disabled: true },
    audit: opts.decisionLogPath
      ? { enabled: true, accessLogsEnabled: false, decisionLogsEnabled: true, backend: "file", file: { path: opts.decisionLogPath } }
      : { enabled: false },
  };
  const confPath = join(dir, "config.json");
  writeFileSync(confPath, JSON.stringify(config));
  const child: ChildProcess = spawn(bin, ["server", `--config=${confPath}`, "--log-level=error"], {
    env: { ...process.env, CERBOS_NO_TELEMETRY: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const fail = (msg: string): never => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw new Error(msg);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) fail(`cerbos exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/_cerbos/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail(`cerbos did not become healthy: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Healthy, but make sure it is our process that answered (it would have exited on a port clash).
  await new Promise((r) => setTimeout(r, 300));
  if (child.exitCode !== null) fail(`cerbos exited with ${child.exitCode}: ${stderr}`);
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Cerbos writes audit entries asynchronously: wait until the decision log has `expected` lines
 * (or stops growing for a while, or the timeout passes). Returns the number of lines seen.
 */
export async function waitForDecisionLog(path: string, expected: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const lines = existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).length : 0;
    if (lines >= expected || Date.now() > deadline) return lines;
    if (lines !== last) {
      last = lines;
      stableSince = Date.now();
    } else if (lines > 0 && Date.now() - stableSince > 3000) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}
