// Sends the same seeded random requests to the real Cerbos server and to the embedded engine
// and compares effects (and, softly, matched policy/scope).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckOutput, EngineConfig } from "../api-types.ts";
import { compileCerbosDirectory } from "../engine.ts";
import { outputsToResponse, requestToInputs, type CheckResourcesRequest, type CheckResourcesResponse } from "../http-api.ts";
import { startCerbosServer, waitForDecisionLog } from "./cerbos-server.ts";
import { makeTokens, mulberry32, randomRequest, type Vocabulary } from "./random-requests.ts";

function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

export interface DifferentialResult {
  requests: number;
  /** Requests Cerbos rejected (400): not compared. */
  rejected: number;
  actionsCompared: number;
  effectMismatches: string[];
  metaMismatches: string[];
  /** Results whose `outputs` differ (compared as multisets of {src, action, val}). */
  outputMismatches: string[];
  outputsCompared: number;
  /** From Cerbos's decision log (when compared): inputs whose evaluationErrors or effectiveDerivedRoles differ. */
  decisionLogInputs: number;
  decisionLogMismatches: string[];
}

export async function runDifferential(opts: {
  policyDir: string;
  vocabulary: Vocabulary;
  count: number;
  seed: number;
  config?: Partial<EngineConfig>;
  /** Also compare evaluationErrors and effectiveDerivedRoles with Cerbos's decision log. */
  compareDecisionLog?: boolean;
}): Promise<DifferentialResult> {
  const config = opts.config ?? {};
  const compiled = compileCerbosDirectory(opts.policyDir, config);
  if (!compiled.ok) throw new Error(`policies do not compile: ${JSON.stringify(compiled.errors.slice(0, 5))}`);
  const ps = compiled.policySet!;
  const rand = mulberry32(opts.seed);
  const tokens = await makeTokens(8, rand);
  const requests: CheckResourcesRequest[] = [];
  for (let i = 0; i < opts.count; i++) requests.push(randomRequest(rand, opts.vocabulary, tokens, i));

  const logDir = opts.compareDecisionLog ? mkdtempSync(join(tmpdir(), "hindsight-cerbos-log-")) : undefined;
  const decisionLogPath = logDir ? join(logDir, "decisions.log") : undefined;
  const server = await startCerbosServer({
    policyDir: opts.policyDir,
    globals: config.globals,
    lenientScopeSearch: config.lenientScopeSearch,
    strictEvaluation: config.strictEvaluation,
    schemaEnforcement: config.schemaEnforcement,
    decisionLogPath,
  });
  const result: DifferentialResult = {
    requests: requests.length,
    rejected: 0,
    actionsCompared: 0,
    effectMismatches: [],
    metaMismatches: [],
    outputMismatches: [],
    outputsCompared: 0,
    decisionLogInputs: 0,
    decisionLogMismatches: [],
  };
  const embeddedOutputs = new Map<string, CheckOutput>();
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
        const outs = ps.evaluate(requestToInputs(req), { now: new Date() });
        for (const o of outs) embeddedOutputs.set(`${o.requestId}|${o.resourceId}`, o);
        const have = outputsToResponse(req, outs);
        have.results.forEach((h, k) => {
          const w = want.results[k]!;
          const norm = (o: { src: string; action: string; val?: unknown; error?: string }[] | undefined) =>
            (o ?? []).map((x) => canonicalJson([x.src, x.action, x.val ?? null, x.error ?? ""])).sort();
          const ho = norm(h.outputs);
          const wo = norm(w.outputs as never);
          result.outputsCompared += wo.length;
          if (JSON.stringify(ho) !== JSON.stringify(wo)) {
            result.outputMismatches.push(`${req.requestId} ${h.resource.kind}/${h.resource.id}: cerbos ${JSON.stringify(wo)}, embedded ${JSON.stringify(ho)}`);
          }
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
    if (decisionLogPath) await waitForDecisionLog(decisionLogPath, requests.length - result.rejected);
    await server.stop();
  }
  // In strict mode Cerbos stops at the first erroring row, and which rows ran before it follows Go
  // map iteration order (random per run), so its own evaluationErrors vary: compare roles only.
  if (decisionLogPath && existsSync(decisionLogPath)) compareDecisionLog(readFileSync(decisionLogPath, "utf8"), embeddedOutputs, result, !config.strictEvaluation);
  if (logDir) rmSync(logDir, { recursive: true, force: true });
  return result;
}

interface LoggedOutput {
  requestId?: string;
  resourceId?: string;
  effectiveDerivedRoles?: string[];
  evaluationErrors?: { celError?: { expression?: string; message?: string } }[];
}

function compareDecisionLog(text: string, embedded: Map<string, CheckOutput>, result: DifferentialResult, compareErrors: boolean): void {
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { checkResources?: { outputs?: LoggedOutput[] } };
    for (const want of entry.checkResources?.outputs ?? []) {
      const key = `${want.requestId ?? ""}|${want.resourceId ?? ""}`;
      const have = embedded.get(key);
      if (!have) continue;
      result.decisionLogInputs++;
      // Cerbos logs both lists in Go map order: compare them as sets.
      const wantErrors = (want.evaluationErrors ?? []).map((e) => `${e.celError?.expression} => ${e.celError?.message}`).sort();
      const haveErrors = have.evaluationErrors.map((e) => `${e.celError.expression} => ${e.celError.message}`).sort();
      const wantRoles = [...(want.effectiveDerivedRoles ?? [])].sort();
      const haveRoles = [...have.effectiveDerivedRoles].sort();
      if ((compareErrors && JSON.stringify(wantErrors) !== JSON.stringify(haveErrors)) || JSON.stringify(wantRoles) !== JSON.stringify(haveRoles)) {
        result.decisionLogMismatches.push(`${key}: cerbos errors ${JSON.stringify(wantErrors)} roles ${JSON.stringify(wantRoles)}; embedded errors ${JSON.stringify(haveErrors)} roles ${JSON.stringify(haveRoles)}`);
      }
    }
  }
}
