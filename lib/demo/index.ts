// Deterministic demo data in the real PDP formats: Cerbos file-backend NDJSON (access + decision
// lines sharing callIds) and an OPA decision-log upload batch (a JSON array of EventV1). Same seed,
// same bytes. Doubles as the ingest benchmark's data source, so it is built for speed: objects are
// serialised once and written in chunked buffers.

import { renderCerbosCall } from "./cerbos-entries.ts";
import { hex, uuidV4 } from "./ids.ts";
import { incidentSteps, incidentTaskId, type IncidentSummary } from "./incident.ts";
import { renderOpaCall, type OpaInstance } from "./opa-events.ts";
import { buildPolicyTimeline, withPolicyCommits, type PolicyCommitRef, type PolicyTimeline } from "./policy-timeline.ts";
import { Rng } from "./prng.ts";
import { StepHeap } from "./step-heap.ts";
import type { Step, TaskContext } from "./task-context.ts";
import { starterFor, TASK_MIX, taskSteps } from "./tasks.ts";
import { AGENTS, CERBOS_PDPS, type CerbosPdp } from "./world.ts";

export interface DemoOptions {
  seed?: number;
  /** Decision records to produce: Cerbos decision entries + OPA events. Access entries come on top (one per Cerbos call). */
  count?: number;
  start?: Date;
  spanHours?: number;
  /**
   * Commits of a real policy repository (writeDemoGitRepo's result), oldest first, one per policy
   * version: records then name these hashes instead of the timeline's random ones.
   */
  policyCommits?: readonly PolicyCommitRef[];
}

export interface DemoStats {
  tasks: number;
  cerbosDecisions: number;
  cerbosAccess: number;
  /** Access entries whose call failed in the handler (statusCode 3), so they have no decision. */
  cerbosAccessOnly: number;
  opaEvents: number;
  hops: number;
  deniedHops: number;
}

export interface DemoLogs {
  /** Both Cerbos PDPs' file-backend output merged in time order. */
  cerbosNdjson: Buffer;
  /** One OPA upload body (uncompressed): a JSON array of decision events, in time order. */
  opaEvents: Buffer;
  /** The same Cerbos lines split by the PDP that wrote them (Cerbos records name no instance); computed on first access. */
  readonly cerbosByPdp: Record<CerbosPdp, Buffer>;
  policyTimeline: PolicyTimeline;
  /** The scripted incident (null when count is too small to include it). */
  incident: IncidentSummary | null;
  stats: DemoStats;
}

export const DEFAULT_DEMO_START = new Date("2026-11-20T08:00:00Z");
const INCIDENT_MIN_COUNT = 20;
const INCIDENT_AT = 0.6;
/** Average decisions one task produces (measured), used to pace task arrivals over the span. */
const DECISIONS_PER_TASK = 4.7;

/** Joins strings into Buffers of bounded size, so huge outputs never become one giant JS string. */
class ChunkedWriter {
  private parts: Buffer[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  write(s: string): void {
    this.pending.push(s);
    this.pendingLength += s.length;
    if (this.pendingLength > 8_000_000) this.flush();
  }
  private flush(): void {
    if (this.pending.length) this.parts.push(Buffer.from(this.pending.join(""), "utf8"));
    this.pending = [];
    this.pendingLength = 0;
  }
  toBuffer(): Buffer {
    this.flush();
    return Buffer.concat(this.parts);
  }
}

export function generateDemoLogs(opts: DemoOptions = {}): DemoLogs {
  const seed = opts.seed ?? 1;
  const count = Math.max(0, Math.floor(opts.count ?? 1000));
  const startMs = (opts.start ?? DEFAULT_DEMO_START).getTime();
  const spanMs = (opts.spanHours ?? 72) * 3_600_000;
  const rng = new Rng(seed);
  const seeded = buildPolicyTimeline(rng, startMs, spanMs);
  const timeline = opts.policyCommits ? withPolicyCommits(seeded, opts.policyCommits) : seeded;
  const opaFleet: OpaInstance[] = ["opa-gw-1", "opa-gw-2", "opa-gw-3"].map((name) => ({ id: uuidV4(rng), name, nextReqId: 1 }));
  const stats: DemoStats = { tasks: 0, cerbosDecisions: 0, cerbosAccess: 0, cerbosAccessOnly: 0, opaEvents: 0, hops: 0, deniedHops: 0 };
  const pending = new StepHeap();
  let decisions = 0;

  const newContext = (at: number, human: TaskContext["human"], userAgent: string, taskId = `task-${hex(rng, 12)}`): TaskContext => ({
    rng,
    taskId,
    human,
    pdp: rng.pick(CERBOS_PDPS),
    opa: rng.pick(opaFleet),
    traceId: hex(rng, 32),
    clientAddress: `10.0.${rng.int(8)}.${rng.between(2, 250)}:${rng.between(30000, 60999)}`,
    userAgent,
    startMs: at,
    jwtShare: 0.8,
  });

  const plan = (taskSteps: Step[]) => {
    stats.tasks++;
    for (const step of taskSteps) {
      if (decisions >= count) return;
      pending.push(step);
      if ("opa" in step || !step.cerbos.rejectedStatus) decisions++;
    }
  };

  const cerbos = new ChunkedWriter();
  const pdpOfLine: number[] = [];
  const opa = new ChunkedWriter();
  opa.write("[");
  let firstEvent = true;
  const render = (step: Step) => {
    if ("cerbos" in step) {
      const rendered = renderCerbosCall(step.cerbos, rng, timeline);
      for (const l of rendered) {
        cerbos.write(l.line + "\n");
        pdpOfLine.push(CERBOS_PDPS.indexOf(l.pdp));
        if (l.kind === "access") stats.cerbosAccess++;
        else {
          stats.cerbosDecisions++;
          stats.hops += l.hops ?? 0;
          stats.deniedHops += l.denied ?? 0;
        }
      }
      if (rendered.length === 1) stats.cerbosAccessOnly++;
    } else {
      const event = renderOpaCall(step.opa, rng, timeline);
      opa.write(firstEvent ? event.json : `,${event.json}`);
      firstEvent = false;
      stats.opaEvents++;
      stats.hops++;
      if (event.denied) stats.deniedHops++;
    }
  };
  /** Renders every pending step earlier than `ms`: no task planned later can produce one. */
  const renderBefore = (ms: number) => {
    while (pending.peekTime() < ms) render(pending.pop()!);
  };

  let incident: IncidentSummary | null = null;
  if (count >= INCIDENT_MIN_COUNT) {
    const bot = AGENTS.find((a) => a.id === "agent:payments-bot")!;
    const ctx = newContext(startMs + Math.floor(spanMs * INCIDENT_AT), { id: "alice", roles: ["user", "finance"], department: "finance" }, bot.userAgent, incidentTaskId(rng));
    const built = incidentSteps(ctx);
    incident = built.summary;
    plan(built.steps);
  }
  // Tasks arrive as a Poisson process sized so that `count` decisions span about `spanHours`.
  const meanGapMs = spanMs / Math.max(1, count / DECISIONS_PER_TASK);
  let clock = startMs;
  while (decisions < count) {
    clock += -Math.log(1 - rng.next()) * meanGapMs;
    renderBefore(clock);
    const task = rng.weighted(TASK_MIX);
    const human = starterFor(task, (xs) => rng.pick(xs));
    const agent = AGENTS.find((a) => a.task === task);
    plan(taskSteps(task, newContext(Math.floor(clock), human, agent?.userAgent ?? "acme-webapp/5.12.0")));
  }
  renderBefore(Infinity);
  opa.write("]");
  const cerbosNdjson = cerbos.toBuffer();
  let byPdp: Record<CerbosPdp, Buffer> | undefined;
  return {
    cerbosNdjson,
    opaEvents: opa.toBuffer(),
    // Split on demand: most callers (the benchmark) never need it.
    get cerbosByPdp() {
      return (byPdp ??= splitByPdp(cerbosNdjson, pdpOfLine));
    },
    policyTimeline: timeline,
    incident,
    stats,
  };
}

function splitByPdp(ndjson: Buffer, pdpOfLine: number[]): Record<CerbosPdp, Buffer> {
  const parts: Buffer[][] = CERBOS_PDPS.map(() => []);
  let pos = 0;
  for (const pdp of pdpOfLine) {
    const end = ndjson.indexOf(0x0a, pos) + 1;
    parts[pdp].push(ndjson.subarray(pos, end));
    pos = end;
  }
  return Object.fromEntries(CERBOS_PDPS.map((p, i) => [p, Buffer.concat(parts[i])])) as Record<CerbosPdp, Buffer>;
}

export { demoPolicyHistory, type DemoPolicyCommit, type DemoPolicyHistory } from "./policy-history.ts";
export { demoPolicyFiles, type DemoPolicyFile, type DemoPolicyVersion } from "./policy-files.ts";
export { writeDemoGitRepo, type WrittenDemoRepo } from "./write-git-repo.ts";
export { demoOpaBundles, writeDemoOpaBundles, type DemoOpaBundle } from "./opa-bundles.ts";
export type { IncidentSummary } from "./incident.ts";
export type { OpaBundleRevision, PolicyCommitRef, PolicyTimeline } from "./policy-timeline.ts";
