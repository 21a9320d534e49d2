// A sender that retries exactly as OPA's decision-log plugin does: the same chunk, byte for byte, is
// re-sent after any non-2xx answer or connection error, with exponential backoff, until it is
// acknowledged. (Fluent Bit and Vector retry Cerbos pushes the same way.) At-least-once delivery plus
// idempotent ingest must end up exactly once.
import type http from "node:http";
import { request, type Outcome, type RequestSpec } from "./http.ts";
import type { SentRecord } from "./records.ts";

export interface IngestAnswer {
  batchId: string;
  accepted: number;
  duplicate: number;
  conflict: number;
  rejected: { line: number; reason: string }[];
}

export interface Delivery {
  records: SentRecord[];
  /** The 2xx answer that ended the retries, or null when the deadline came first. */
  ack: (Outcome & { answer: IngestAnswer }) | null;
  attempts: Outcome[];
}

export interface RetryPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Give up (ack stays null) after this time. */
  deadline: number;
  timeoutMs: number;
  agent?: http.Agent;
  /** Called with every attempt's outcome (metrics). */
  onAttempt?: (o: Outcome) => void;
  /** Uniform [0,1) source for jitter (seeded). */
  random: () => number;
}

export async function deliverUntilAcked(spec: RequestSpec, records: SentRecord[], policy: RetryPolicy): Promise<Delivery> {
  const attempts: Outcome[] = [];
  for (let attempt = 0; ; attempt++) {
    const o = await request({ ...spec, timeoutMs: policy.timeoutMs, agent: policy.agent });
    attempts.push(o);
    policy.onAttempt?.(o);
    if (o.status !== null && o.status >= 200 && o.status < 300) {
      const answer = JSON.parse(o.body) as IngestAnswer;
      return { records, ack: { ...o, answer }, attempts };
    }
    if (Date.now() >= policy.deadline) return { records, ack: null, attempts };
    const backoff = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** Math.min(attempt, 10));
    await new Promise((r) => setTimeout(r, backoff * (0.5 + policy.random())));
  }
}
