// Realistic decision records with unique identities, in the wire formats the PDPs send: OPA upload
// batches (JSON arrays of decision events) and Cerbos file-backend NDJSON (an access and a decision entry
// per call, sharing a callId). Templates come from the seeded demo generator (agents, delegated JWTs,
// MCP tools, ~1.5 KB per record); each emitted record is a template with fresh ids, so the suite knows
// exactly which identities it sent and how many hops each must have produced.
import { createHash } from "node:crypto";
import { generateDemoLogs } from "../../../lib/demo/index.ts";
import { parseDecisionLog } from "../../../lib/formats/index.ts";

/** A record's identity as the database keys it (lib/ingest/prepare.ts identityOf), plus its expected hops. */
export interface SentRecord {
  engine: "opa" | "cerbos";
  pdp: string;
  kind: string;
  key: string;
  hops: number;
}

interface OpaTemplate {
  json: string;
  decisionId: string;
  labelsId: string;
  hops: number;
}

interface CerbosTemplate {
  callId: string;
  lines: { text: string; kind: string; hops: number }[];
}

const cache = new Map<number, { opa: OpaTemplate[]; cerbos: CerbosTemplate[] }>();

function templates(seed: number): { opa: OpaTemplate[]; cerbos: CerbosTemplate[] } {
  let t = cache.get(seed);
  if (t) return t;
  const logs = generateDemoLogs({ seed, count: 1500 });
  const opa = (JSON.parse(logs.opaEvents.toString("utf8")) as { decision_id: string; labels: { id: string } }[]).map((ev) => {
    const json = JSON.stringify(ev);
    const parsed = parseDecisionLog(Buffer.from(json), { hint: "opa" });
    if (parsed.records.length !== 1) throw new Error(`demo OPA event does not parse: ${JSON.stringify(parsed.rejected)}`);
    return { json, decisionId: ev.decision_id, labelsId: ev.labels.id, hops: parsed.records[0].hops.length };
  });
  const byCall = new Map<string, CerbosTemplate>();
  for (const text of logs.cerbosNdjson.toString("utf8").split("\n")) {
    if (!text) continue;
    const parsed = parseDecisionLog(Buffer.from(text), { hint: "cerbos" });
    if (parsed.records.length !== 1) throw new Error(`demo Cerbos line does not parse: ${JSON.stringify(parsed.rejected)}`);
    const rec = parsed.records[0];
    const callId = rec.recordKey!;
    let call = byCall.get(callId);
    if (!call) byCall.set(callId, (call = { callId, lines: [] }));
    call.lines.push({ text, kind: rec.kind, hops: rec.hops.length });
  }
  t = { opa, cerbos: [...byCall.values()] };
  cache.set(seed, t);
  return t;
}

/** A short stable tag for ids, so two senders never mint the same one. */
function tagOf(s: string, length: number): string {
  return createHash("sha256").update(s).digest("hex").slice(0, length);
}

/** OPA decision events of one OPA instance (labels.id = pdp), with fresh decision_ids. */
export class OpaEventSource {
  private n = 0;
  private readonly tag: string;
  constructor(
    readonly pdp: string,
    private readonly seed: number,
  ) {
    this.tag = tagOf(pdp, 8);
  }

  /** One upload batch: a JSON array of `count` events (uncompressed). */
  batch(count: number): { body: Buffer; records: SentRecord[] } {
    const { opa } = templates(this.seed);
    const parts: string[] = [];
    const records: SentRecord[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.n++;
      const tpl = opa[n % opa.length];
      // UUID-shaped, unique per instance: tag, then the sequence number.
      const id = `${this.tag}-${n.toString(16).padStart(12, "0").slice(0, 4)}-4${n.toString(16).padStart(12, "0").slice(4, 7)}-8${n.toString(16).padStart(12, "0").slice(7, 10)}-${n.toString(16).padStart(12, "0")}`;
      parts.push(tpl.json.replaceAll(tpl.decisionId, id).replaceAll(tpl.labelsId, this.pdp));
      records.push({ engine: "opa", pdp: this.pdp, kind: "decision", key: id, hops: tpl.hops });
    }
    return { body: Buffer.from(`[${parts.join(",")}]`), records };
  }
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Cerbos audit calls of one PDP (named by its ingest token), with fresh callIds (ULID-shaped). */
export class CerbosCallSource {
  private n = 0;
  private readonly tag: string;
  constructor(
    readonly pdp: string,
    private readonly seed: number,
  ) {
    this.tag = [...createHash("sha256").update(pdp).digest()].slice(0, 6).map((b) => CROCKFORD[b % 32]).join("");
  }

  /** NDJSON of `calls` calls: an access and (nearly always) a decision line each. */
  push(calls: number): { body: Buffer; records: SentRecord[] } {
    const { cerbos } = templates(this.seed);
    const lines: string[] = [];
    const records: SentRecord[] = [];
    for (let i = 0; i < calls; i++) {
      const n = this.n++;
      const tpl = cerbos[n % cerbos.length];
      let seq = "";
      for (let v = n, k = 0; k < 10; k++, v = Math.floor(v / 32)) seq = CROCKFORD[v % 32] + seq;
      const callId = `01J${this.tag}${seq}`.padEnd(26, "0");
      for (const line of tpl.lines) {
        lines.push(line.text.replaceAll(tpl.callId, callId));
        records.push({ engine: "cerbos", pdp: this.pdp, kind: line.kind, key: callId, hops: line.hops });
      }
    }
    return { body: Buffer.from(lines.join("\n") + "\n"), records };
  }
}
