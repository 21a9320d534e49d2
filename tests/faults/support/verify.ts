// What must hold in the database after any fault, checked with plain SQL and an independent Merkle
// computation rather than the product's own read paths:
// - every acknowledged record is stored exactly once (identity = engine, PDP instance, kind, callId /
//   decision_id), nothing the senders did not send appears under their PDPs, no conflicts;
// - every stored record has all its hops (the count its wire form implies);
// - every ingest_batches row's counters equal the records that point at it, and every 2xx answer's
//   counts equal its batch row (a 2xx was sent only after the commit);
// - the hourly rollup equals a recount of the hops;
// - raw bytes match their SHA-256 and leaf hash; the Merkle log is gapless, every stored node is the
//   hash of its children, and its root equals the root recomputed from the records' leaves;
// - optionally, derived delegation facts catch up with every hop (task derivation survives the fault).
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { inclusionProof, treeRoot } from "../../../lib/ingest/merkle-log.ts";
import { verifyInclusion } from "../../../lib/ingest/merkle.ts";
import { refreshTasks } from "../../../lib/tasks/refresh.ts";
import type { SentRecord } from "./records.ts";
import type { IngestAnswer } from "./sender.ts";

export interface VerifyInput {
  /** Records of acknowledged deliveries: each must be stored exactly once. */
  acked: SentRecord[];
  /** Records of deliveries never acknowledged: stored at most once. */
  unacked?: SentRecord[];
  /** The 2xx answers the senders got. */
  answers?: IngestAnswer[];
  /**
   * Task derivation: every hop at or below the derivation watermark has its delegation facts (a crash or
   * outage mid-derivation must not leave hops skipped for good). Cheap; the lag above it is reported.
   */
  checkDerived?: boolean;
  /** Also run the derivation to completion and check every hop got facts (slow: a few hundred hops/s). */
  catchUpDerived?: boolean;
}

export interface VerifyReport {
  problems: string[];
  stats: {
    records: number;
    hops: number;
    batches: number;
    treeSize: number;
    root: string;
    expectedAcked: number;
    storedOfSenders: number;
    /** Non-conflict hops above the derivation watermark (not derived yet). */
    derivationLag?: number;
  };
}

const csv = (s: string | number | boolean) => (typeof s === "string" ? `"${s.replaceAll('"', '""')}"` : String(s));

async function one<T>(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await client.query(sql, params);
  return rows[0] as T;
}

function nodeHash(l: Buffer, r: Buffer): Buffer {
  return createHash("sha256").update(Buffer.from([1])).update(l).update(r).digest();
}

/** RFC 9162 MTH over leaf hashes streamed in order: a stack of perfect subtrees, folded right at the end. */
class StreamingRoot {
  private stack: { hash: Buffer; size: number }[] = [];
  count = 0;
  push(leaf: Buffer): void {
    this.count++;
    let cur = { hash: leaf, size: 1 };
    while (this.stack.length && this.stack[this.stack.length - 1].size === cur.size) {
      const left = this.stack.pop()!;
      cur = { hash: nodeHash(left.hash, cur.hash), size: left.size * 2 };
    }
    this.stack.push(cur);
  }
  root(): Buffer {
    if (this.stack.length === 0) return createHash("sha256").digest();
    let acc = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeHash(this.stack[i].hash, acc);
    return acc;
  }
}

async function rootFromRecords(client: pg.ClientBase): Promise<StreamingRoot> {
  const acc = new StreamingRoot();
  let rest = "";
  const stream = client.query(copyTo(`COPY (SELECT leaf_hash FROM records ORDER BY leaf_index) TO STDOUT`));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString("utf8");
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) if (l) acc.push(Buffer.from(l, "hex"));
  }
  if (rest) acc.push(Buffer.from(rest, "hex"));
  return acc;
}

export async function verifyIngestInvariants(pool: pg.Pool, input: VerifyInput): Promise<VerifyReport> {
  const problems: string[] = [];
  const client = await pool.connect();
  try {
    await client.query(`CREATE TEMP TABLE expected (engine text, pdp text, kind text, key text, hops int, acked bool) ON COMMIT PRESERVE ROWS`);
    function* rows(): Generator<string> {
      let buf: string[] = [];
      const all: [SentRecord[], boolean][] = [[input.acked, true], [input.unacked ?? [], false]];
      for (const [list, acked] of all) {
        for (const r of list) {
          buf.push(`${csv(r.engine)},${csv(r.pdp)},${csv(r.kind)},${csv(r.key)},${r.hops},${acked ? "t" : "f"}\n`);
          if (buf.length >= 5_000) {
            yield buf.join("");
            buf = [];
          }
        }
      }
      if (buf.length) yield buf.join("");
    }
    await pipeline(Readable.from(rows()), client.query(copyFrom(`COPY expected FROM STDIN WITH (FORMAT csv)`)));
    await client.query(`CREATE INDEX ON expected (engine, pdp, kind, key); ANALYZE expected`);

    const selfDup = await one<{ n: number; d: number }>(client, `SELECT count(*)::int AS n, count(DISTINCT (engine, pdp, kind, key))::int AS d FROM expected`);
    if (selfDup.n !== selfDup.d) problems.push(`test bug: the senders minted ${selfDup.n - selfDup.d} identities twice`);

    // 1. Exactly once, by identity, for everything the senders had acknowledged.
    const missing = await one<{ n: number; sample: string[] | null }>(
      client,
      `SELECT count(*)::int AS n, (array_agg(e.engine || '/' || e.pdp || '/' || e.kind || '/' || e.key))[1:5] AS sample
         FROM expected e
        WHERE e.acked AND NOT EXISTS (SELECT 1 FROM records r WHERE r.engine = e.engine AND r.pdp_instance = e.pdp AND r.kind = e.kind AND r.record_key = e.key)`,
    );
    if (missing.n) problems.push(`${missing.n} acknowledged records are missing, e.g. ${missing.sample?.join(", ")}`);

    const senders = `(SELECT DISTINCT engine, pdp FROM expected)`;
    const dups = await one<{ n: number; sample: string[] | null }>(
      client,
      `SELECT count(*)::int AS n, (array_agg(k || ' x' || c))[1:5] AS sample FROM (
         SELECT r.engine || '/' || r.pdp_instance || '/' || r.kind || '/' || r.record_key AS k, count(*) AS c
           FROM records r WHERE (r.engine, r.pdp_instance) IN ${senders}
          GROUP BY r.engine, r.pdp_instance, r.kind, r.record_key HAVING count(*) > 1) d`,
    );
    if (dups.n) problems.push(`${dups.n} identities are stored more than once, e.g. ${dups.sample?.join(", ")}`);

    const extra = await one<{ n: number; sample: string[] | null }>(
      client,
      `SELECT count(*)::int AS n, (array_agg(r.engine || '/' || r.pdp_instance || '/' || r.kind || '/' || r.record_key))[1:5] AS sample
         FROM records r WHERE (r.engine, r.pdp_instance) IN ${senders}
          AND NOT EXISTS (SELECT 1 FROM expected e WHERE r.engine = e.engine AND r.pdp_instance = e.pdp AND r.kind = e.kind AND r.record_key = e.key)`,
    );
    if (extra.n) problems.push(`${extra.n} records under the senders' PDPs were never sent, e.g. ${extra.sample?.join(", ")}`);

    const conflicts = await one<{ n: number }>(client, `SELECT count(*)::int AS n FROM records r WHERE r.is_conflict AND (r.engine, r.pdp_instance) IN ${senders}`);
    if (conflicts.n) problems.push(`${conflicts.n} of the senders' records are flagged as conflicts (retries must be duplicates)`);

    // 2. No record without its hops.
    const hopGaps = await one<{ n: number; sample: string[] | null }>(
      client,
      `WITH hc AS (SELECT record_id, count(*)::int AS n FROM hops GROUP BY record_id)
       SELECT count(*)::int AS n, (array_agg(e.key || ': ' || coalesce(hc.n, 0) || ' of ' || e.hops))[1:5] AS sample
         FROM expected e
         JOIN records r ON r.engine = e.engine AND r.pdp_instance = e.pdp AND r.kind = e.kind AND r.record_key = e.key
         LEFT JOIN hc ON hc.record_id = r.id
        WHERE coalesce(hc.n, 0) <> e.hops`,
    );
    if (hopGaps.n) problems.push(`${hopGaps.n} records do not have the hops their entries imply, e.g. ${hopGaps.sample?.join(", ")}`);

    // 3. Batches: counters equal stored rows; each 2xx answer equals its committed batch row.
    const badBatches = await one<{ n: number; sample: string[] | null }>(
      client,
      `SELECT count(*)::int AS n, (array_agg('batch ' || b.id || ': accepted+conflict ' || (b.accepted + b.conflict) || ' vs ' || coalesce(c.n, 0) || ' stored'))[1:5] AS sample
         FROM ingest_batches b
         LEFT JOIN (SELECT batch_id, count(*)::int AS n, count(*) FILTER (WHERE is_conflict)::int AS nc FROM records GROUP BY batch_id) c ON c.batch_id = b.id
        WHERE b.accepted + b.conflict <> coalesce(c.n, 0) OR b.conflict <> coalesce(c.nc, 0)`,
    );
    if (badBatches.n) problems.push(`${badBatches.n} ingest_batches rows disagree with their records, e.g. ${badBatches.sample?.join("; ")}`);

    if (input.answers?.length) {
      const a = input.answers;
      const wrong = await one<{ n: number; sample: string[] | null }>(
        client,
        `SELECT count(*)::int AS n, (array_agg('batch ' || x.id || ' answered ' || x.acc || '/' || x.dup || '/' || x.rej || ', row ' ||
                coalesce(b.accepted::text, 'missing') || '/' || coalesce(b.duplicate::text, '-') || '/' || coalesce(b.rejected::text, '-')))[1:5] AS sample
           FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[]) AS x(id, acc, dup, con, rej)
           LEFT JOIN ingest_batches b ON b.id = x.id
          WHERE b.id IS NULL OR b.accepted <> x.acc OR b.duplicate <> x.dup OR b.conflict <> x.con OR b.rejected <> x.rej`,
        [a.map((x) => x.batchId), a.map((x) => x.accepted), a.map((x) => x.duplicate), a.map((x) => x.conflict), a.map((x) => x.rejected.length)],
      );
      if (wrong.n) problems.push(`${wrong.n} acknowledged answers disagree with their committed batch rows, e.g. ${wrong.sample?.join("; ")}`);
    }

    // 4. Rollup = recount of hops (dimensions all, engine, pdp; conflicts excluded).
    const rollup = await one<{ n: number; sample: string[] | null }>(
      client,
      `WITH d AS (
         SELECT date_trunc('hour', h.decided_at, 'UTC') AS bucket, v.dim, v.value, h.effect, count(*)::int AS hops
           FROM hops h CROSS JOIN LATERAL (VALUES ('all', ''), ('engine', h.engine), ('pdp', h.pdp_instance)) AS v(dim, value)
          WHERE NOT h.is_conflict GROUP BY 1, 2, 3, 4),
       r AS (SELECT bucket, dim, value, effect, hops FROM hop_rollup WHERE dim IN ('all', 'engine', 'pdp'))
       SELECT count(*)::int AS n, (array_agg(coalesce(d.dim, r.dim) || '=' || coalesce(d.value, r.value) || ': hops ' || coalesce(d.hops, 0) || ', rollup ' || coalesce(r.hops, 0)))[1:5] AS sample
         FROM d FULL JOIN r ON d.bucket = r.bucket AND d.dim = r.dim AND d.value = r.value AND d.effect = r.effect
        WHERE coalesce(d.hops, 0) <> coalesce(r.hops, 0)`,
    );
    if (rollup.n) problems.push(`hop_rollup disagrees with the hops in ${rollup.n} cells, e.g. ${rollup.sample?.join("; ")}`);

    // 5. Bytes and the Merkle log.
    const hashes = await one<{ n: number }>(
      client,
      `SELECT count(*)::int AS n FROM records
        WHERE encode(sha256(raw_bytes), 'hex') <> raw_sha256 OR encode(sha256('\\x00'::bytea || raw_bytes), 'hex') <> leaf_hash`,
    );
    if (hashes.n) problems.push(`${hashes.n} records' raw_sha256 or leaf_hash do not match their bytes`);

    const counts = await one<{ records: number; distinct_leaves: number; min_leaf: number | null; max_leaf: number | null; size: number; hops: number; batches: number }>(
      client,
      `SELECT (SELECT count(*)::int FROM records) AS records, (SELECT count(DISTINCT leaf_index)::int FROM records) AS distinct_leaves,
              (SELECT min(leaf_index)::int FROM records) AS min_leaf, (SELECT max(leaf_index)::int FROM records) AS max_leaf,
              (SELECT tree_size::int FROM merkle_log_state WHERE id = 1) AS size, (SELECT count(*)::int FROM hops) AS hops,
              (SELECT count(*)::int FROM ingest_batches) AS batches`,
    );
    const size = counts.size;
    if (counts.records !== size || counts.distinct_leaves !== size || (size > 0 && (counts.min_leaf !== 0 || counts.max_leaf !== size - 1))) {
      problems.push(`Merkle log is not gapless: tree_size ${size}, ${counts.records} records, ${counts.distinct_leaves} distinct leaf indices in [${counts.min_leaf}, ${counts.max_leaf}]`);
    }
    const leafNodes = await one<{ n: number }>(
      client,
      `SELECT count(*)::int AS n FROM records r LEFT JOIN merkle_nodes m ON m.level = 0 AND m.idx = r.leaf_index
        WHERE m.hash IS NULL OR m.hash <> decode(r.leaf_hash, 'hex')`,
    );
    if (leafNodes.n) problems.push(`${leafNodes.n} records' leaves are missing from merkle_nodes or differ`);
    const { rows: levels } = await client.query<{ level: number; n: number; out_of_range: number }>(
      `SELECT level, count(*)::int AS n, count(*) FILTER (WHERE idx >= ($1::bigint >> level))::int AS out_of_range FROM merkle_nodes GROUP BY level ORDER BY level`,
      [size],
    );
    for (let level = 0; 2 ** level <= Math.max(size, 1); level++) {
      const want = Math.floor(size / 2 ** level);
      const got = levels.find((l) => l.level === level);
      if ((got?.n ?? 0) !== want || (got?.out_of_range ?? 0) > 0) {
        problems.push(`merkle_nodes level ${level}: ${got?.n ?? 0} nodes (${got?.out_of_range ?? 0} beyond the tree), expected ${want}`);
      }
    }
    if (levels.some((l) => 2 ** l.level > Math.max(size, 1))) problems.push(`merkle_nodes holds levels above a tree of ${size} leaves`);
    const badNodes = await one<{ n: number }>(
      client,
      `SELECT count(*)::int AS n FROM merkle_nodes p
         LEFT JOIN merkle_nodes l ON l.level = p.level - 1 AND l.idx = 2 * p.idx
         LEFT JOIN merkle_nodes r ON r.level = p.level - 1 AND r.idx = 2 * p.idx + 1
        WHERE p.level > 0 AND (l.hash IS NULL OR r.hash IS NULL OR p.hash <> sha256('\\x01'::bytea || l.hash || r.hash))`,
    );
    if (badNodes.n) problems.push(`${badNodes.n} Merkle nodes are not the hash of their children`);
    const streamed = await rootFromRecords(client);
    const root = streamed.root();
    if (size > 0) {
      const stored = await treeRoot(client, size).catch((err: Error) => err);
      if (stored instanceof Error) problems.push(`the log's root at size ${size} cannot be computed: ${stored.message}`);
      else if (!stored.equals(root)) problems.push(`the log's stored root ${stored.toString("hex")} differs from the root of the records' leaves ${root.toString("hex")}`);
      // Inclusion proofs from the stored nodes verify against the independently computed root.
      const { rows: sample } = await client.query<{ i: number; leaf: string }>(
        `SELECT leaf_index::int AS i, leaf_hash AS leaf FROM records ORDER BY random() LIMIT 16`,
      );
      for (const s of sample) {
        const proof = await inclusionProof(client, s.i, size);
        if (!verifyInclusion(s.i, size, Buffer.from(s.leaf, "hex"), proof, root)) problems.push(`inclusion proof of leaf ${s.i} does not verify`);
      }
    }

    const stored = await one<{ n: number }>(client, `SELECT count(*)::int AS n FROM records r WHERE (r.engine, r.pdp_instance) IN ${senders}`);
    const report: VerifyReport = {
      problems,
      stats: {
        records: counts.records,
        hops: counts.hops,
        batches: counts.batches,
        treeSize: size,
        root: root.toString("hex"),
        expectedAcked: input.acked.length,
        storedOfSenders: stored.n,
      },
    };

    // 6. Derived data: nothing below the derivation watermark was skipped; optionally catch up fully.
    if (input.checkDerived || input.catchUpDerived) {
      const skipped = await one<{ n: number; lag: number }>(
        client,
        `WITH w AS (SELECT coalesce((SELECT last_hop_id FROM delegation_state WHERE id = 1), 0) AS last)
         SELECT count(*) FILTER (WHERE h.id <= w.last AND d.hop_id IS NULL)::int AS n,
                count(*) FILTER (WHERE h.id > w.last)::int AS lag
           FROM hops h CROSS JOIN w LEFT JOIN hop_delegation d ON d.hop_id = h.id
          WHERE NOT h.is_conflict`,
      );
      report.stats.derivationLag = skipped.lag;
      if (skipped.n) problems.push(`${skipped.n} hops at or below the task-derivation watermark have no delegation facts (skipped for good)`);
    }
    if (input.catchUpDerived) {
      await refreshTasks(pool, { wait: true });
      const lag = await one<{ n: number }>(
        client,
        `SELECT count(*)::int AS n FROM hops h WHERE NOT h.is_conflict AND NOT EXISTS (SELECT 1 FROM hop_delegation d WHERE d.hop_id = h.id)`,
      );
      if (lag.n) problems.push(`${lag.n} hops have no delegation facts after a full task refresh`);
    }
    await client.query(`DROP TABLE expected`);
    return report;
  } finally {
    client.release();
  }
}

export function describeProblems(report: VerifyReport): string {
  return report.problems.length ? `database invariants violated:\n- ${report.problems.join("\n- ")}` : "ok";
}
