// Starts the real Cerbos PDP (npm package @cerbos/cerbos-linux-x64) on loopback ports for
// differential tests and benchmarks. Telemetry and audit are off; only 127.0.0.1 is bound.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
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
  const { path: bin, reason } = findCerbosBinary();
  if (!bin) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), "hindsight-cerbos-"));
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
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
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cerbos exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/_cerbos/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`cerbos did not become healthy: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
