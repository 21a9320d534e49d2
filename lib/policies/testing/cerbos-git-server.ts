// Test helper: the real Cerbos PDP (npm @cerbos/cerbos-linux-x64) serving policies from a git
// repository (storage driver `git`, file:// URL, fast polling) and writing decision logs with the
// `file` audit backend, so tests get the policySource/commit_hash fields Cerbos really writes.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findCerbosBinary } from "../../engine/cerbos/testing/cerbos-server.ts";

export interface CerbosGitServer {
  url: string;
  auditLogPath: string;
  /** Decision entries written so far (parsed lines of the audit file). */
  decisions(): Record<string, unknown>[];
  stop(): Promise<void>;
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

export async function startCerbosGitServer(opts: { repoDir: string; branch: string; pollInterval?: string }): Promise<CerbosGitServer> {
  const { path: bin, reason } = findCerbosBinary();
  if (!bin) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), "hindsight-cerbos-git-"));
  const auditLogPath = join(dir, "audit.log");
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const config = {
    server: { httpListenAddr: `127.0.0.1:${httpPort}`, grpcListenAddr: `127.0.0.1:${grpcPort}` },
    storage: {
      driver: "git",
      git: { protocol: "file", url: `file://${opts.repoDir}`, branch: opts.branch, subDir: ".", checkoutDir: join(dir, "checkout"), updatePollInterval: opts.pollInterval ?? "1s" },
    },
    telemetry: { disabled: true },
    audit: { enabled: true, accessLogsEnabled: false, decisionLogsEnabled: true, backend: "file", file: { path: auditLogPath } },
  };
  const confPath = join(dir, "config.json");
  writeFileSync(confPath, JSON.stringify(config));
  const child = spawn(bin, ["server", `--config=${confPath}`, "--log-level=warn"], {
    env: { ...process.env, CERBOS_NO_TELEMETRY: "1", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cerbos exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/_cerbos/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`cerbos did not become healthy: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    auditLogPath,
    decisions: () =>
      existsSync(auditLogPath)
        ? readFileSync(auditLogPath, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>)
            .filter((e) => e["log.kind"] === "decision")
        : [],
    stop,
  };
}
