// Sends the same seeded random requests to the real Cerbos server and to the embedded engine
// and compares effects (and, softly, matched policy/scope).
import type { EngineConfig } from "../api-types.ts";
import { compileCerbosDirectory } from "../engine.ts";
import { outputsToResponse, requestToInputs, type CheckResourcesRequest, type CheckResourcesResponse } from "../http-api.ts";
import { startCerbosServer } from "./cerbos-server.ts";
import { makeTokens, mulberry32, randomRequest, type Vocabulary } from "./random-requests.ts";

export interface DifferentialResult {
  requests: number;
  /** Requests Cerbos rejected (400): not compared. */
  rejected: number;
  actionsCompared: number;
  effectMismatches: string[];
  metaMismatches: string[];
}

export async function runDifferential(opts: {
  policyDir: string;
  vocabulary: Vocabulary;
  count: number;
  seed: number;
  config?: Partial<EngineConfig>;
}): Promise<DifferentialResult> {
  const config = opts.config ?? {};
  const compiled = compileCerbosDirectory(opts.policyDir, config);
  if (!compiled.ok) throw new Error(`policies do not compile: ${JSON.stringify(compiled.errors.slice(0, 5))}`);
  const ps = compiled.policySet!;
  const rand = mulberry32(opts.seed);
  const tokens = await makeTokens(8, rand);
  const requests: CheckResourcesRequest[] = [];
  for (let i = 0; i < opts.count; i++) requests.push(randomRequest(rand, opts.vocabulary, tokens, i));

  const server = await startCerbosServer({ policyDir: opts.policyDir, globals: config.globals, lenientScopeSearch: config.lenientScopeSearch, strictEvaluation: config.strictEvaluation, schemaEnforcement: config.schemaEnforcement });
  const result: DifferentialResult = { requests: requests.length, rejected: 0, actionsCompared: 0, effectMismatches: [], metaMismatches: [] };
  try {
    const send = async (req: CheckResourcesRequest): Promise<CheckResourcesResponse | undefined> => {
      const res = await fetch(`${server.url}/api/check/resources`, { method: "POST", body: JSON.stringify(req), headers: { "content-type": "application/json" } });
      const body = (await res.json()) as CheckResourcesResponse;
      return res.ok ? body : undefined;
    };
    const CONCURRENCY = 8;
    for (let start = 0; start < requests.length; start += CONCURRENCY) {
      const batch = requests.slice(start, start + CONCURRENCY);
      const remote = await Promise.all(batch.map(send));
      batch.forEach((req, j) => {
        const want = remote[j];
        if (!want) {
          result.rejected++;
          return;
        }
        const have = outputsToResponse(req, ps.evaluate(requestToInputs(req), { now: new Date() }));
        have.results.forEach((h, k) => {
          const w = want.results[k]!;
          for (const [action, effect] of Object.entries(w.actions)) {
            result.actionsCompared++;
            if (h.actions[action] !== effect) {
              result.effectMismatches.push(`${req.requestId} ${h.resource.kind}/${h.resource.id} ${action}: cerbos ${effect}, embedded ${h.actions[action]} :: ${JSON.stringify(req)}`);
            }
            const hm = h.meta?.actions[action];
            const wm = w.meta?.actions[action];
            if (hm?.matchedPolicy !== wm?.matchedPolicy || (hm?.matchedScope ?? "") !== (wm?.matchedScope ?? "")) {
              result.metaMismatches.push(`${req.requestId} ${action}: cerbos ${JSON.stringify(wm)}, embedded ${JSON.stringify(hm)}`);
            }
          }
        });
      });
    }
  } finally {
    await server.stop();
  }
  return result;
}
