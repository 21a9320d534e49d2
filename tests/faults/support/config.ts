// Settings of the fault suite, read from the environment in one place.
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Per-run output (server logs, measured numbers). Gitignored. */
export const RESULTS_DIR = path.join(ROOT, "tests/faults/results");

/**
 * The Postgres server the suite creates its throwaway databases on. It must be a real server (the
 * crash and outage tests are about real connections and real transactions), on loopback by default.
 * HINDSIGHT_FAULTS_DATABASE_URL wins over DATABASE_URL (which `npm test` and CI point at that server).
 */
export function serverDatabaseUrl(): string {
  return (
    process.env.HINDSIGHT_FAULTS_DATABASE_URL?.trim() ||
    process.env.DATABASE_URL?.trim() ||
    "postgresql://postgres@127.0.0.1:5432/postgres"
  );
}

/** How long the load test runs (seconds); the full run is 300. */
export function loadSeconds(): number {
  const raw = process.env.HINDSIGHT_LOAD_SECONDS;
  const n = raw === undefined || raw === "" ? 300 : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`HINDSIGHT_LOAD_SECONDS must be a positive number of seconds, not "${raw}"`);
  return n;
}

/** Seed of every pseudo-random choice of a run: HINDSIGHT_FAULTS_SEED reproduces one. */
export function suiteSeed(): number {
  const raw = process.env.HINDSIGHT_FAULTS_SEED;
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`HINDSIGHT_FAULTS_SEED must be an integer from 0 to 4294967295, not "${raw}"`);
    return n;
  }
  return Math.floor(Math.random() * 0xffffffff);
}

/** How many hostile bodies to send (at least 10,000 in a real run). */
export function hostileCount(): number {
  const raw = process.env.HINDSIGHT_HOSTILE_BODIES;
  const n = raw === undefined || raw === "" ? 10_000 : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`HINDSIGHT_HOSTILE_BODIES must be a positive whole number, not "${raw}"`);
  return n;
}
