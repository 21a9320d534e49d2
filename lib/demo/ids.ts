// Identifier and timestamp shapes as the real PDPs write them: Cerbos callIds are ULIDs, OPA
// decision ids are UUIDv4, timestamps are RFC 3339 with nanoseconds.

import type { Rng } from "./prng.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const HEX = "0123456789abcdef";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** ULID: 48-bit millisecond time (10 chars) + 80 random bits (16 chars). */
export function ulid(rng: Rng, ms: number): string {
  let time = "";
  let t = Math.floor(ms);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = "";
  for (let i = 0; i < 16; i++) rand += CROCKFORD[rng.int(32)];
  return time + rand;
}

export function hex(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += HEX[rng.int(16)];
  return out;
}

export function uuidV4(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = HEX[8 + rng.int(4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function base64urlRandom(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += B64URL[rng.int(64)];
  return out;
}

/** RFC 3339 UTC with nanoseconds: millisecond instant plus six random sub-millisecond digits. */
export function rfc3339Nanos(ms: number, rng: Rng): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // 2026-11-23T18:19:58.393Z
  const sub = String(rng.int(1_000_000)).padStart(6, "0");
  return `${iso.slice(0, 23)}${sub}Z`;
}

/** RFC 3339 at second precision, as Cerbos renders JWT exp/iat claims. */
export function rfc3339Seconds(ms: number): string {
  return `${new Date(Math.floor(ms)).toISOString().slice(0, 19)}Z`;
}

/** W3C traceparent for a trace/span pair. */
export function traceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}
