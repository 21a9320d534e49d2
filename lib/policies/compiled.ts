// Compiled policy sets per version, cached in the process: compiling is the expensive step and a
// version never changes, so each version is compiled once (the design's "compile once per version")
// and later calls share the result. A small LRU bounds memory when many versions are replayed.
import type pg from "pg";
import { type CerbosPolicySet, compileCerbosPolicies } from "../engine/cerbos/index.ts";
import { compileOpaBundle, type RegoPolicySet } from "./opa-bundle.ts";
import type { CompileError } from "../engine/types.ts";
import { getVersion, getVersionFiles } from "./queries.ts";
import { toCerbosSources } from "./snapshot.ts";

export class PolicyVersionCompileError extends Error {
  constructor(
    readonly versionId: string,
    readonly errors: CompileError[],
  ) {
    const first = errors[0];
    super(`policy version ${versionId} does not compile (${errors.length} error${errors.length === 1 ? "" : "s"}${first ? `; first: ${first.file}${first.line ? `:${first.line}` : ""}: ${first.message}` : ""})`);
    this.name = "PolicyVersionCompileError";
  }
}

/** A Map kept in use order: the least recently used entry is evicted first. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

const CACHE_SIZE = Number(process.env.HINDSIGHT_COMPILED_VERSIONS ?? 16);
// Promises, so concurrent callers of one version wait for a single compile.
const cache = new LruCache<string, Promise<CerbosPolicySet>>(CACHE_SIZE > 0 ? CACHE_SIZE : 16);
let compileCount = 0;

async function compileVersion(pool: pg.Pool, id: string): Promise<CerbosPolicySet> {
  const version = await getVersion(pool, id);
  if (!version) throw new Error(`policy version ${id} does not exist`);
  if (version.engine !== "cerbos") throw new Error(`policy version ${id} is an ${version.engine} version; only Cerbos versions can be compiled yet`);
  if (version.compileErrors) throw new PolicyVersionCompileError(id, version.compileErrors);
  compileCount++;
  const outcome = compileCerbosPolicies(toCerbosSources(await getVersionFiles(pool, id)));
  if (!outcome.ok) throw new PolicyVersionCompileError(id, outcome.errors);
  return outcome.policySet!;
}

/**
 * The compiled Cerbos policy set of a version (default engine settings; use `.withConfig()` for
 * others, it shares the compiled table). Throws PolicyVersionCompileError for a version stored
 * with compile errors.
 */
export function compiledVersion(pool: pg.Pool, id: string): Promise<CerbosPolicySet> {
  const hit = cache.get(id);
  if (hit) return hit;
  const pending = compileVersion(pool, id);
  cache.set(id, pending);
  // A failure is not cached: the next call retries (a missing version may be imported meanwhile).
  pending.catch(() => cache.delete(id));
  return pending;
}

/** How many compiles this process has run (tests check that versions compile once). */
export function compiledVersionCount(): number {
  return compileCount;
}

const opaCache = new LruCache<string, Promise<RegoPolicySet>>(CACHE_SIZE > 0 ? CACHE_SIZE : 16);

async function compileOpaVersion(pool: pg.Pool, id: string): Promise<RegoPolicySet> {
  const version = await getVersion(pool, id);
  if (!version) throw new Error(`policy version ${id} does not exist`);
  if (version.engine !== "opa") throw new Error(`policy version ${id} is a ${version.engine} version, not an OPA bundle`);
  if (version.compileErrors) throw new PolicyVersionCompileError(id, version.compileErrors);
  compileCount++;
  const outcome = compileOpaBundle(await getVersionFiles(pool, id));
  if (!outcome.ok) throw new PolicyVersionCompileError(id, outcome.errors);
  return outcome.policySet;
}

/** The compiled Rego modules + data of an OPA bundle version, compiled once per process like Cerbos versions. */
export function compiledOpaVersion(pool: pg.Pool, id: string): Promise<RegoPolicySet> {
  const hit = opaCache.get(id);
  if (hit) return hit;
  const pending = compileOpaVersion(pool, id);
  opaCache.set(id, pending);
  pending.catch(() => opaCache.delete(id));
  return pending;
}
