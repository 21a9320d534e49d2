// Generated malformed and hostile ingest requests, from a seeded PRNG so a failure reproduces with
// HINDSIGHT_FAULTS_SEED. Each case is one request: an endpoint, a body, extra headers, and the category
// it exercises. Expensive bodies (gzip bombs, bodies over the size limits) are built once and reused.
import { gzipSync } from "node:zlib";
import { Rng } from "../../../lib/demo/prng.ts";
import type { IngestEndpoint } from "./endpoints.ts";
import { CerbosCallSource, OpaEventSource } from "./records.ts";

export interface HostileCase {
  index: number;
  category: string;
  /** What this variant does, for failure messages. */
  variant: string;
  endpoint: IngestEndpoint;
  body: Buffer;
  headers: Record<string, string>;
  /** Replaces the endpoint's query string (upload parameters). */
  query?: string;
  /** Authentication to send: the valid credentials, or a broken Authorization header. */
  auth: { kind: "valid" } | { kind: "header"; authorization: string | null };
}

type Gen = (rng: Rng, ep: IngestEndpoint, base: () => Buffer) => Omit<HostileCase, "index" | "category" | "endpoint" | "auth"> & { auth?: HostileCase["auth"] } | null;

const MiB = 1024 * 1024;
const JSON_CT = { "content-type": "application/json" };

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

/** A valid-looking item of the endpoint's engine, for wrapping hostile values. */
function item(ep: IngestEndpoint, rng: Rng, fields: Record<string, unknown>): Record<string, unknown> {
  const id = `hostile-${rng.uint32().toString(16)}-${rng.uint32().toString(16)}`;
  if (ep.format === "cerbos-ndjson" || (ep.format === "any-log-file" && rng.chance(0.5))) {
    return {
      "log.kind": "decision",
      callId: id,
      timestamp: "2026-11-21T10:00:00.123Z",
      checkResources: {
        inputs: [{ requestId: "r", principal: { id: "alice", roles: ["user"] }, resource: { kind: "doc", id: "d1" }, actions: ["view"] }],
        outputs: [{ requestId: "r", resourceId: "d1", actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.doc.vdefault" } } }],
      },
      ...fields,
    };
  }
  return { decision_id: id, labels: { id: "hostile-gw" }, path: "agents/tools/allow", result: true, timestamp: "2026-11-21T10:00:00.123Z", input: { subject: { id: "bob" } }, ...fields };
}

/** Wraps items the way the endpoint expects them (OPA: array; Cerbos: NDJSON; upload: either). */
function wrap(ep: IngestEndpoint, rng: Rng, items: string[]): Buffer {
  const asArray = ep.format === "opa-batch" || (ep.format === "any-log-file" && rng.chance(0.5));
  return Buffer.from(asArray ? `[${items.join(",")}]` : items.join("\n") + "\n");
}

const gen = (f: Gen): Gen => f;

// ---- categories ---------------------------------------------------------------------------------

const bitFlip = gen((rng, _ep, base) => {
  const b = Buffer.from(base());
  const flips = rng.between(1, 8);
  for (let i = 0; i < flips; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
  return { variant: `${flips} bit flips`, body: b, headers: JSON_CT };
});

const NASTY = Buffer.from('{}[]",:\\\n\r\t\u0000 0-e.+');
const byteMutation = gen((rng, _ep, base) => {
  let b = Buffer.from(base());
  const ops = rng.between(1, 12);
  for (let i = 0; i < ops; i++) {
    const at = rng.int(b.length + 1);
    const byte = rng.chance(0.6) ? NASTY[rng.int(NASTY.length)] : rng.int(256);
    const op = rng.int(3);
    if (op === 0) b = Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]);
    else if (op === 1 && b.length > 1) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else if (at < b.length) b[at] = byte;
  }
  return { variant: `${ops} byte edits`, body: b, headers: JSON_CT };
});

const truncated = gen((rng, _ep, base) => {
  const b = base();
  const cut = rng.int(b.length);
  return { variant: `cut at ${cut}/${b.length}`, body: b.subarray(0, cut), headers: JSON_CT };
});

const truncatedGzip = gen((rng, _ep, base) => {
  const gz = gzipSync(base());
  const cut = rng.between(1, gz.length - 1);
  const declare = rng.chance(0.7);
  return { variant: `gzip cut at ${cut}/${gz.length}${declare ? "" : " (no Content-Encoding)"}`, body: gz.subarray(0, cut), headers: { ...JSON_CT, ...(declare ? { "content-encoding": "gzip" } : {}) } };
});

const corruptGzip = gen((rng, _ep, base) => {
  const gz = Buffer.from(gzipSync(base()));
  const how = rng.int(5);
  if (how === 0) for (let i = 0; i < 4; i++) gz[rng.between(10, gz.length - 9)] ^= 0xff;
  else if (how === 1) gz.writeUInt32LE((gz.readUInt32LE(gz.length - 8) ^ 0xdeadbeef) >>> 0, gz.length - 8); // CRC
  else if (how === 2) gz.writeUInt32LE(1, gz.length - 4); // ISIZE
  else if (how === 3) gz[3] = 0xff; // reserved header flags
  else return { variant: "Content-Encoding gzip on a plain body", body: base(), headers: { ...JSON_CT, "content-encoding": "gzip" } };
  return { variant: ["flipped deflate bytes", "bad CRC", "bad ISIZE", "reserved flags"][how], body: gz, headers: { ...JSON_CT, "content-encoding": "gzip" } };
});

const bombs: { name: string; body: Buffer }[] = [];
function bombSet(): { name: string; body: Buffer }[] {
  if (bombs.length) return bombs;
  const zeros = (n: number) => gzipSync(Buffer.alloc(n), { level: 9 });
  bombs.push({ name: "300 MiB of zeros", body: zeros(300 * MiB) });
  bombs.push({ name: "130 MiB of spaces", body: gzipSync(Buffer.alloc(130 * MiB, 0x20), { level: 9 }) });
  bombs.push({ name: "140 MiB of '['", body: gzipSync(Buffer.alloc(140 * MiB, 0x5b), { level: 9 }) });
  bombs.push({ name: "gzip of a 300 MiB gzip bomb", body: gzipSync(zeros(300 * MiB), { level: 9 }) });
  // Just under the 128 MiB limit: inflates fine, then millions of tiny items must be turned away cheaply.
  bombs.push({ name: "120 MiB of '{}\\n' (40M items)", body: gzipSync(Buffer.from("{}\n".repeat(40 * MiB)), { level: 9 }) });
  bombs.push({ name: "120 MiB array of 1s (60M items)", body: gzipSync(Buffer.from("[" + "1,".repeat(60 * MiB) + "1]"), { level: 9 }) });
  return bombs;
}
const gzipBomb = gen((rng) => {
  const b = pick(rng, bombSet());
  return { variant: b.name, body: b.body, headers: { ...JSON_CT, ...(rng.chance(0.7) ? { "content-encoding": "gzip" } : {}) } };
});

const deepNesting = gen((rng, ep) => {
  const n = pick(rng, [65, 200, 5_000, 100_000, 1_000_000]);
  const how = rng.int(4);
  if (how === 0) return { variant: `[ x ${n}`, body: Buffer.from("[".repeat(n) + "]".repeat(n)), headers: JSON_CT };
  if (how === 1) return { variant: `{"a": x ${n}`, body: Buffer.from('{"a":'.repeat(n) + "1" + "}".repeat(n)), headers: JSON_CT };
  if (how === 2) return { variant: `unclosed [ x ${n}`, body: Buffer.from("[".repeat(n)), headers: JSON_CT };
  const deep = '{"x":'.repeat(n) + "null" + "}".repeat(n);
  return { variant: `record with input nested ${n} deep`, body: wrap(ep, rng, [JSON.stringify(item(ep, rng, {})).replace(/}$/, `,"deep":${deep}}`)]), headers: JSON_CT };
});

const hugeString = gen((rng, ep) => {
  const size = pick(rng, [3 * MiB, 5 * MiB, 64 * 1024, 2_000]);
  const s = "A".repeat(size);
  const where = rng.int(4);
  const fields = [{ input: { blob: s } }, { [s.slice(0, Math.min(size, 1 * MiB))]: 1 }, { decision_id: s, callId: s }, { labels: { id: s } }][where];
  return { variant: `${size}-byte string in ${["a value", "a key", "the record id", "labels.id"][where]}`, body: wrap(ep, rng, [JSON.stringify(item(ep, rng, fields))]), headers: JSON_CT };
});

const duplicateKeys = gen((rng, ep) => {
  const json = JSON.stringify(item(ep, rng, {}));
  const dup = pick(rng, ['"decision_id":"dup-a","decision_id":"dup-b",', '"callId":"c1","callId":"c2",', '"timestamp":"2026-01-01T00:00:00Z","timestamp":"garbage",', '"labels":{"id":"a","id":"b"},', '"checkResources":{},"checkResources":[],']);
  return { variant: `duplicate keys ${dup.slice(0, 30)}`, body: wrap(ep, rng, [json.replace(/^\{/, "{" + dup)]), headers: JSON_CT };
});

const BAD_UTF8 = [Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80])];
const invalidUtf8 = gen((rng, _ep, base) => {
  const b = base();
  const parts: Buffer[] = [];
  let pos = 0;
  const n = rng.between(1, 5);
  for (let i = 0; i < n; i++) {
    // Inside a string value: right after a quote.
    const q = b.indexOf(0x22, rng.int(b.length));
    if (q < 0 || q < pos) continue;
    parts.push(b.subarray(pos, q + 1), pick(rng, BAD_UTF8));
    pos = q + 1;
  }
  parts.push(b.subarray(pos));
  return { variant: `${n} invalid UTF-8 sequences`, body: Buffer.concat(parts), headers: JSON_CT };
});

const protoPollution = gen((rng, ep) => {
  const payloads = [
    '{"__proto__":{"polluted":true,"decision_id":"smuggled"}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"prototype":{"polluted":true}}',
    '{"__proto__":null}',
    '{"toString":"x","valueOf":1,"hasOwnProperty":"y"}',
  ];
  const p = pick(rng, payloads);
  const json = JSON.stringify(item(ep, rng, {}));
  const where = rng.int(4);
  let body: string;
  if (where === 0) body = json.replace(/^\{/, `{${p.slice(1, -1)},`);
  else if (where === 1) body = json.replace(/"input":\{/, `"input":{${p.slice(1, -1)},`).replace(/"principal":\{/, `"principal":{${p.slice(1, -1)},`);
  else if (where === 2) body = p;
  else body = json.replace(/"labels":\{/, `"labels":{${p.slice(1, -1)},`).replace(/"resource":\{/, `"resource":{${p.slice(1, -1)},`);
  return { variant: `${p.slice(0, 40)} at ${["top", "input/principal", "whole item", "labels/resource"][where]}`, body: wrap(ep, rng, [body]), headers: JSON_CT };
});

const WRONG_VALUES: unknown[] = [123, -1, 1.5, null, true, [], {}, "", [null], { a: 1 }, "not-a-date", 1e308];
// A fresh copy each time: the shared objects must not be mutated by one case (or made to contain
// themselves, which once made a generated body circular for some seeds).
const wrongValue = (rng: Rng): unknown => structuredClone(pick(rng, WRONG_VALUES));
const wrongTypes = gen((rng, ep) => {
  const it = item(ep, rng, {});
  const keys = Object.keys(it);
  const k = pick(rng, keys);
  const v = wrongValue(rng);
  it[k] = v;
  if (typeof it.checkResources === "object" && it.checkResources !== null && !Array.isArray(it.checkResources) && rng.chance(0.5)) {
    const cr = it.checkResources as Record<string, unknown>;
    const sub = pick(rng, ["inputs", "outputs"]);
    cr[sub] = rng.chance(0.5) ? wrongValue(rng) : [wrongValue(rng)];
  }
  return { variant: `${k} = ${JSON.stringify(v)}`, body: wrap(ep, rng, [JSON.stringify(it)]), headers: JSON_CT };
});

const CONTENT_TYPES = ["text/plain", "application/xml", "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded", ";;;", "application/json; charset=utf-16", "image/png", "a".repeat(4000), ""];
const contentType = gen((rng, _ep, base) => {
  const ct = pick(rng, CONTENT_TYPES);
  return { variant: `Content-Type ${ct.slice(0, 40) || "(empty)"}`, body: rng.chance(0.5) ? base() : randomBytes(rng, rng.between(1, 2000)), headers: { "content-type": ct } };
});

const ENCODINGS = ["br", "deflate", "compress", "gzip, gzip", "GZIP", "x-gzip", "identity", "zstd", "gzip;q=1", "\t", "a".repeat(500)];
const contentEncoding = gen((rng, _ep, base) => {
  const enc = pick(rng, ENCODINGS);
  const body = rng.chance(0.5) ? gzipSync(base()) : base();
  return { variant: `Content-Encoding ${enc.slice(0, 30)}`, body, headers: { ...JSON_CT, "content-encoding": enc } };
});

const EMPTIES = ["", " ", "\n\n\n", "\ufeff", "\ufeff\n", "[]", "{}", "null", "[[]]", "\r\n"];
const empty = gen((rng) => {
  const e = pick(rng, EMPTIES);
  return { variant: JSON.stringify(e), body: Buffer.from(e), headers: JSON_CT };
});

const SHAPES = ["42", '"a string"', "true", "[1,2,3]", '[{"a":1}]', '{"result":{}}', '[[{"decision_id":"x"}]]', '{"decisionLogEntry":{}}', '{"result":{"decisionLogEntry":null}}', '[{"labels":{},"decision_id":""}]', '{"log.kind":"decision"}', '{"checkResources":{"inputs":[],"outputs":[]}}', '"\\u0000"', "[null,null]", '{"callId":"x","timestamp":"2026-01-01T00:00:00Z"}'];
const wrongShape = gen((rng, ep) => {
  const s = pick(rng, SHAPES);
  const many = rng.chance(0.3) ? rng.between(2, 50) : 1;
  return { variant: `${s.slice(0, 40)}${many > 1 ? ` x${many}` : ""}`, body: ep.format === "opa-batch" && many > 1 ? Buffer.from(`[${Array(many).fill(s).join(",")}]`) : Buffer.from(Array(many).fill(s).join("\n")), headers: JSON_CT };
});

const nulBytes = gen((rng, ep, base) => {
  if (rng.chance(0.5)) {
    const b = Buffer.from(base());
    const n = rng.between(1, 10);
    for (let i = 0; i < n; i++) b[rng.int(b.length)] = 0;
    return { variant: `${n} raw NUL bytes`, body: b, headers: JSON_CT };
  }
  const it = item(ep, rng, { input: { "k\u0000ey": "v\u0000al" } });
  const field = pick(rng, ["decision_id", "callId", "labels"]);
  if (field === "labels") it.labels = { id: "gw\u0000nul" };
  else if (field in it) it[field] = `id\u0000${rng.uint32()}`;
  return { variant: `\\u0000 in keys, values and ${field}`, body: wrap(ep, rng, [JSON.stringify(it)]), headers: JSON_CT };
});

const loneSurrogates = gen((rng, ep) => {
  const s = pick(rng, ["\\ud800", "\\udfff", "\\ud800\\u0041", "\\udc00\\ud800", "x\\ud83d"]);
  const it = JSON.stringify(item(ep, rng, { input: { marker: "SURR" } })).replace('"SURR"', `"${s}"`).replace('"marker"', `"k${s}"`);
  const inId = rng.chance(0.5) ? it.replace(/"(decision_id|callId)":"/, `"$1":"${s}`) : it;
  return { variant: `lone surrogate ${s}${inId !== it ? " (also in the id)" : ""}`, body: wrap(ep, rng, [inId]), headers: JSON_CT };
});

const NUMBERS = ["1e999999", "-1e999999", "123456789012345678901234567890123456789", "1e-400", "-0", "1.7976931348623157e309", "9".repeat(20_000), "NaN", "Infinity", "0x10", "01", "1.", ".5", "+1"];
const TIMESTAMPS = ["9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "2026-02-30T25:61:61Z", "2026-11-21T10:00:00." + "9".repeat(5000) + "Z", "2026-11-21T10:00:00Z" + "\u0000", "-000001-01-01T00:00:00Z", "20261121"];
const absurdNumbers = gen((rng, ep) => {
  if (rng.chance(0.5)) {
    const t = pick(rng, TIMESTAMPS);
    return { variant: `timestamp ${t.slice(0, 40)}`, body: wrap(ep, rng, [JSON.stringify(item(ep, rng, { timestamp: t }))]), headers: JSON_CT };
  }
  const n = pick(rng, NUMBERS);
  const json = JSON.stringify(item(ep, rng, { input: { amount: "NUM" }, req_id: "NUM2" })).replace('"NUM"', n).replace('"NUM2"', pick(rng, NUMBERS));
  return { variant: `number ${n.slice(0, 30)}`, body: wrap(ep, rng, [json]), headers: JSON_CT };
});

const AUTHS: (string | null)[] = [null, "", "Bearer", "Bearer ", "Bearer hst_", "Bearer hst_not-a-real-token", "Basic YWxpY2U6c2VjcmV0", "bearer  hst_x y", "Bearer " + "A".repeat(8_000), "Token hst_abc", "Bearer hst_\u00ff\u00fe"];
const badAuth = gen((rng, ep, base) => {
  if (ep.auth !== "bearer") return null; // session endpoints: see tests/faults/authz.test.ts
  const a = pick(rng, AUTHS);
  return { variant: `Authorization ${a === null ? "(none)" : JSON.stringify(a.slice(0, 30))}`, body: base(), headers: JSON_CT, auth: { kind: "header", authorization: a } };
});

let oversized: Buffer | null = null;

/** Builds the expensive bodies up front, so the sender never stalls mid-run building a bomb. */
export function prepareHostileAssets(): void {
  bombSet();
  oversized ??= Buffer.alloc(65 * MiB, 0x20);
}
const oversize = gen((rng, ep) => {
  // Over the as-sent limit (32 MiB ingest, 64 MiB upload); built once.
  oversized ??= Buffer.alloc(65 * MiB, 0x20);
  const body = ep.auth === "bearer" ? oversized.subarray(0, 33 * MiB) : oversized;
  if (rng.chance(0.5)) return { variant: `${body.length >> 20} MiB body`, body, headers: JSON_CT };
  // The same without a Content-Length (chunked): it must be counted while read, not cut and accepted.
  // (A declared length over the limit with a short body is tests/faults/large-bodies.test.ts's known limitation.)
  return { variant: `${body.length >> 20} MiB body, chunked`, body, headers: { ...JSON_CT, "transfer-encoding": "chunked" } };
});

const QUERIES = ["filename=", "filename=" + "a".repeat(300), "filename=a%00b", "filename=%0d%0aSet-Cookie:x=1", "pdp=" + "p".repeat(300), "pdp=a%01b", "filename=..%2F..%2Fetc%2Fpasswd", "filename=%E2%80%AE.json", "filename=a&filename=b", "filename=%ZZ"];
const queryParams = gen((rng, ep, base) => {
  if (ep.format !== "any-log-file") return null;
  const q = pick(rng, QUERIES);
  return { variant: `?${q.slice(0, 40)}`, body: base(), headers: JSON_CT, query: q };
});

const manyItems = gen((rng, ep) => {
  const n = pick(rng, [1_000, 50_000, 250_001, 400_000]);
  const tiny = pick(rng, ["{}", "1", "[]", '""', '{"a":1}']);
  const array = ep.format === "opa-batch" || rng.chance(0.5);
  const text = array ? `[${Array(n).fill(tiny).join(",")}]` : Array(n).fill(tiny).join("\n");
  return { variant: `${n} x ${tiny} as ${array ? "array" : "NDJSON"}`, body: gzipSync(Buffer.from(text), { level: 1 }), headers: { ...JSON_CT, "content-encoding": "gzip" } };
});

const crossEngine = gen((rng, ep, _base) => {
  const opaBody = () => JSON.stringify([JSON.parse(JSON.stringify(item({ ...ep, format: "opa-batch" }, rng, {})))]);
  const cerbosBody = () => JSON.stringify(item({ ...ep, format: "cerbos-ndjson" }, rng, {}));
  const body = ep.format === "opa-batch" ? cerbosBody() : ep.format === "cerbos-ndjson" ? opaBody() : rng.chance(0.5) ? opaBody() : cerbosBody();
  return { variant: "the other engine's records", body: Buffer.from(body), headers: JSON_CT };
});

const randomGarbage = gen((rng) => {
  const n = pick(rng, [1, 16, 1024, 64 * 1024]);
  return { variant: `${n} random bytes`, body: randomBytes(rng, n), headers: { "content-type": "application/octet-stream" } };
});

const valid = gen((_rng, _ep, base) => ({ variant: "valid control body", body: base(), headers: JSON_CT }));

/** Category → (generator, weight). Bombs and oversize bodies are rare: they are expensive for both sides. */
export const CATEGORIES: Record<string, [Gen, number]> = {
  "bit-flip": [bitFlip, 10],
  "byte-mutation": [byteMutation, 10],
  truncated: [truncated, 6],
  "truncated-gzip": [truncatedGzip, 6],
  "corrupt-gzip": [corruptGzip, 5],
  "gzip-bomb": [gzipBomb, 0.4],
  "deep-nesting": [deepNesting, 4],
  "huge-string": [hugeString, 1.5],
  "duplicate-keys": [duplicateKeys, 4],
  "invalid-utf8": [invalidUtf8, 6],
  "proto-pollution": [protoPollution, 6],
  "wrong-types": [wrongTypes, 8],
  "content-type": [contentType, 4],
  "content-encoding": [contentEncoding, 4],
  empty: [empty, 3],
  "wrong-shape": [wrongShape, 6],
  "nul-bytes": [nulBytes, 5],
  "lone-surrogates": [loneSurrogates, 5],
  "absurd-numbers": [absurdNumbers, 6],
  "bad-auth": [badAuth, 4],
  oversize: [oversize, 0.08],
  "query-params": [queryParams, 3],
  "many-items": [manyItems, 0.6],
  "cross-engine": [crossEngine, 3],
  "random-bytes": [randomGarbage, 3],
  valid: [valid, 2],
};

/** `count` hostile requests over `endpoints`, deterministic for `seed`. */
export function* hostileCases(seed: number, count: number, endpoints: readonly IngestEndpoint[]): Generator<HostileCase> {
  const rng = new Rng(seed);
  const opa = new OpaEventSource("hostile-base-opa", seed);
  const cerbos = new CerbosCallSource("hostile-base-cerbos", seed + 1);
  const weights = Object.entries(CATEGORIES).map(([name, [, w]]) => [name, w] as const);
  for (let index = 0; index < count; ) {
    const endpoint = endpoints[index % endpoints.length];
    const category = rng.weighted(weights);
    const [fn] = CATEGORIES[category];
    // Small realistic bodies to corrupt: fresh ids each time, so the valid parts are new records.
    const base = () => {
      if (endpoint.format === "cerbos-ndjson" || (endpoint.format === "any-log-file" && rng.chance(0.5))) return cerbos.push(rng.between(1, 3)).body;
      return opa.batch(rng.between(1, 4)).body;
    };
    const c = fn(rng, endpoint, base);
    if (!c) continue;
    yield { index, category, endpoint, auth: c.auth ?? { kind: "valid" }, ...c };
    index++;
  }
}
