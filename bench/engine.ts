// Embedded Cerbos engine vs the real Cerbos PDP over HTTP on loopback, same policies and
// request: one resource, three actions, conditions with derived roles and variables.
// Prints checks/s for both and the ratio. Run: npm run bench:engine
import { Agent, request as httpRequest } from "node:http";
import { compileCerbosDirectory } from "../lib/engine/cerbos/index.ts";
import type { CheckInput } from "../lib/engine/cerbos/index.ts";
import { findCerbosBinary, startCerbosServer } from "../lib/engine/cerbos/testing/cerbos-server.ts";
import { FIXTURE_POLICIES_DIR } from "../lib/engine/cerbos/testing/fixture-vocabulary.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const request = {
  requestId: "bench",
  principal: { id: "alice", roles: ["user"], attr: { level: 6, teams: ["hr", "eng"], ip: "10.1.2.3" } },
  resources: [
    {
      resource: { kind: "document", id: "doc-1", attr: { owner: "alice", status: "draft", amount: 50, tags: ["eng"], path: "/docs/a/b" } },
      actions: ["view", "edit", "publish"],
    },
  ],
};

const input: CheckInput = {
  requestId: request.requestId,
  principal: request.principal,
  resource: request.resources[0]!.resource,
  actions: request.resources[0]!.actions,
};

function benchEmbedded(): number {
  const compiled = compileCerbosDirectory(FIXTURE_POLICIES_DIR);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  const ps = compiled.policySet!;
  const now = new Date();
  const first = ps.check(input, { now });
  console.log(`embedded decision: ${JSON.stringify(Object.fromEntries(Object.entries(first.actions).map(([a, e]) => [a, e.effect])))}, derived roles ${JSON.stringify(first.effectiveDerivedRoles)}`);
  for (let i = 0; i < 20_000; i++) ps.check(input, { now });
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(SECONDS * 1e9);
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 1000; i++) ps.check(input, { now });
    n += 1000;
  }
  const rate = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  console.log(`embedded engine (1 core, synchronous):      ${Math.round(rate).toLocaleString("en-US").padStart(10)} checks/s  (${(1e6 / rate).toFixed(2)} µs/check)`);
  return rate;
}

async function benchServer(label: string, gomaxprocs: string | undefined): Promise<number> {
  const prev = process.env.GOMAXPROCS;
  if (gomaxprocs) process.env.GOMAXPROCS = gomaxprocs;
  const server = await startCerbosServer({ policyDir: FIXTURE_POLICIES_DIR });
  if (prev === undefined) delete process.env.GOMAXPROCS;
  else process.env.GOMAXPROCS = prev;
  try {
    const body = JSON.stringify(request);
    // node:http with keep-alive: the cheapest client available, so the server is measured, not fetch.
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const url = new URL(`${server.url}/api/check/resources`);
    const call = () =>
      new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (res) => {
            res.on("data", () => {});
            res.on("end", () => resolve());
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const first = await (await fetch(`${server.url}/api/check/resources`, { method: "POST", body })).json();
    if (label.includes("1 core")) console.log(`cerbos decision:   ${JSON.stringify((first as { results: { actions: unknown }[] }).results[0]!.actions)}`);
    for (let i = 0; i < 500; i++) await call();
    const CONCURRENCY = 16;
    let n = 0;
    const t0 = Date.now();
    const end = t0 + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < end) {
          await call();
          n++;
        }
      }),
    );
    const rate = n / ((Date.now() - t0) / 1000);
    console.log(`${label.padEnd(44)} ${Math.round(rate).toLocaleString("en-US").padStart(10)} checks/s`);
    agent.destroy();
    return rate;
  } finally {
    await server.stop();
  }
}

const embedded = benchEmbedded();
const bin = findCerbosBinary();
if (!bin.path) {
  console.log(`real Cerbos server: skipped (${bin.reason})`);
} else {
  const oneCore = await benchServer("cerbos server over HTTP (GOMAXPROCS=1):", "1");
  const allCores = await benchServer("cerbos server over HTTP (all cores):", undefined);
  console.log(`ratio embedded / cerbos (per core, GOMAXPROCS=1): ${(embedded / oneCore).toFixed(1)}x`);
  console.log(`ratio embedded (1 core) / cerbos (all cores):     ${(embedded / allCores).toFixed(1)}x`);
  console.log("(the HTTP client runs on the same machine; the server figure is what an app calling a local PDP sees)");
}
