// A fleet of simulated PDPs: OPA instances uploading gzip batches and Cerbos log shippers pushing NDJSON,
// each with its own ingest token, each sending its batches one after another and retrying each until
// it is acknowledged (see sender.ts). Used by the crash, outage and load tests.
import { gzipSync } from "node:zlib";
import type http from "node:http";
import type pg from "pg";
import { createToken } from "../../../lib/ingest/tokens.ts";
import { Rng } from "../../../lib/demo/prng.ts";
import { endpointNamed, ingestRequest, type Credentials } from "./endpoints.ts";
import type { Outcome } from "./http.ts";
import { CerbosCallSource, OpaEventSource, type SentRecord } from "./records.ts";
import { deliverUntilAcked, type Delivery, type IngestAnswer } from "./sender.ts";

export interface SimulatedPdp {
  kind: "opa" | "cerbos";
  /** PDP instance the records are stored under (OPA labels.id; Cerbos: the token name). */
  pdp: string;
  creds: Credentials;
  rng: Rng;
  /** Next body to send (built once, re-sent byte for byte on retry). */
  nextBody(): { body: Buffer; headers: Record<string, string>; records: SentRecord[] };
  deliveries: Delivery[];
}

export interface FleetOptions {
  seed: number;
  opa: number;
  cerbos: number;
  /** Events per OPA batch, from the PDP's own random stream. */
  opaBatch: (rng: Rng) => number;
  /** Calls per Cerbos push (about two records each). */
  cerbosCalls: (rng: Rng) => number;
  /** Share of Cerbos pushes sent gzip-compressed (shippers may compress). */
  cerbosGzipShare?: number;
  label: string;
}

export async function createFleet(pool: pg.Pool, opts: FleetOptions): Promise<SimulatedPdp[]> {
  const fleet: SimulatedPdp[] = [];
  for (let i = 0; i < opts.opa; i++) {
    const name = `${opts.label}-opa-${i + 1}`;
    const { token } = await createToken(pool, name);
    const rng = new Rng(opts.seed + 101 * (i + 1));
    // OPA's labels.id names the instance; it need not equal the token name.
    const source = new OpaEventSource(`${name}-instance`, opts.seed + i);
    fleet.push({
      kind: "opa",
      pdp: source.pdp,
      creds: { bearer: token, session: null },
      rng,
      deliveries: [],
      nextBody() {
        const { body, records } = source.batch(opts.opaBatch(rng));
        // OPA always gzips its uploads.
        return { body: gzipSync(body, { level: 1 }), headers: { "content-type": "application/json", "content-encoding": "gzip" }, records };
      },
    });
  }
  for (let i = 0; i < opts.cerbos; i++) {
    const name = `${opts.label}-cerbos-${i + 1}`;
    const { token } = await createToken(pool, name);
    const rng = new Rng(opts.seed + 211 * (i + 1));
    const source = new CerbosCallSource(name, opts.seed + 50 + i);
    fleet.push({
      kind: "cerbos",
      pdp: name,
      creds: { bearer: token, session: null },
      rng,
      deliveries: [],
      nextBody(): { body: Buffer; headers: Record<string, string>; records: SentRecord[] } {
        const { body, records } = source.push(opts.cerbosCalls(rng));
        if (rng.chance(opts.cerbosGzipShare ?? 0)) {
          return { body: gzipSync(body, { level: 1 }), headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip" }, records };
        }
        return { body, headers: { "content-type": "application/x-ndjson" }, records };
      },
    });
  }
  return fleet;
}

export interface RunOptions {
  baseUrl: () => string;
  /** Keep sending new batches while this returns true. */
  more: (pdp: SimulatedPdp, sent: number) => boolean;
  retry: { minBackoffMs: number; maxBackoffMs: number; timeoutMs: number; deadline: () => number };
  agent?: http.Agent;
  onAttempt?: (pdp: SimulatedPdp, o: Outcome) => void;
}

/** Each PDP sends batch after batch (each retried until acknowledged) while `more` says so. */
export async function runFleet(fleet: SimulatedPdp[], opts: RunOptions): Promise<void> {
  await Promise.all(
    fleet.map(async (pdp) => {
      const endpoint = endpointNamed(pdp.kind === "opa" ? "opa" : "cerbos");
      for (let sent = 0; opts.more(pdp, sent); sent++) {
        const { body, headers, records } = pdp.nextBody();
        const delivery = await deliverUntilAcked(ingestRequest(opts.baseUrl(), endpoint, pdp.creds, body, headers), records, {
          minBackoffMs: opts.retry.minBackoffMs,
          maxBackoffMs: opts.retry.maxBackoffMs,
          timeoutMs: opts.retry.timeoutMs,
          deadline: opts.retry.deadline(),
          agent: opts.agent,
          random: () => pdp.rng.next(),
          onAttempt: (o) => opts.onAttempt?.(pdp, o),
        });
        pdp.deliveries.push(delivery);
        if (!delivery.ack) return;
      }
    }),
  );
}

/** Acknowledged and unacknowledged records and the 2xx answers of a fleet, for verifyIngestInvariants. */
export function fleetOutcome(fleet: SimulatedPdp[]): { acked: SentRecord[]; unacked: SentRecord[]; answers: IngestAnswer[]; deliveries: Delivery[] } {
  const deliveries = fleet.flatMap((p) => p.deliveries);
  return {
    acked: deliveries.filter((d) => d.ack).flatMap((d) => d.records),
    unacked: deliveries.filter((d) => !d.ack).flatMap((d) => d.records),
    answers: deliveries.flatMap((d) => (d.ack ? [d.ack.answer] : [])),
    deliveries,
  };
}

/** Short description of a failed attempt: status and error, or the connection error. */
export function attemptLabel(o: Outcome): string {
  if (o.status === null) return o.timedOut ? "timeout" : o.staleKeepAlive ? "conn:stale-keep-alive" : `conn:${o.error}`;
  return String(o.status);
}
