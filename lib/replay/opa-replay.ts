// Replays one OPA decision event against a compiled bundle: evaluates the logged decision path with
// the logged input, `now` pinned to the event's timestamp and non-deterministic built-ins answered
// from the event's nd_builtin_cache, then compares the result with the logged one. Pure: no database.
import type { JsonValue } from "../engine/types.ts";
import type { RegoPolicySet } from "../policies/opa-bundle.ts";
import { canonicalJson } from "../ingest/canonical.ts";
import { opaEffect } from "../formats/opa-hops.ts";
import { loadOpaDecisionMappings } from "../ingest/opa-mappings-config.ts";
import type { Effect } from "../formats/types.ts";
import type { ReplayStatus } from "./replay-entry.ts";

export interface OpaReplay {
  status: ReplayStatus;
  now: string;
  /** The query evaluated, e.g. data.agents.tools.allow. */
  query: string;
  recorded: { result?: JsonValue; effect: Effect; error?: unknown };
  replayed: { result?: JsonValue; effect: Effect; error?: { code: string; message: string } };
  /** Why the replay may not be faithful (masked input, missing non-deterministic values, …). */
  caveats: string[];
}

/** `http/example/authz/allow` (or `/v1/data/...`-style) → `data.http.example.authz.allow`. */
export function decisionQuery(path: string): string {
  const segments = path.replace(/^\/+/, "").replace(/^v1\/data\/?/, "").split("/").filter(Boolean);
  const safe = segments.map((s) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`));
  return `data${safe.join("")}`;
}

export function replayOpaEntry(policySet: RegoPolicySet, entry: Record<string, unknown>, now: Date): OpaReplay | null {
  loadOpaDecisionMappings();
  const path = typeof entry.path === "string" ? entry.path : null;
  if (!path) return null; // ad-hoc `query` events name no decision path to replay
  const query = decisionQuery(path);
  const caveats: string[] = [];
  if (Array.isArray(entry.erased) && entry.erased.length) caveats.push(`the PDP erased ${entry.erased.join(", ")} before logging: the replay sees less input than OPA did`);
  if (Array.isArray(entry.masked) && entry.masked.length) caveats.push(`the PDP masked ${entry.masked.join(", ")} before logging`);
  const ndCache = entry.nd_builtin_cache && typeof entry.nd_builtin_cache === "object" ? (entry.nd_builtin_cache as Record<string, Record<string, JsonValue>>) : undefined;
  const result = policySet.evaluate(
    { query, input: entry.input as JsonValue | undefined, ndBuiltinCache: ndCache },
    { now },
  );
  if (result.error && /not faithful|nd_builtin_cache/i.test(result.error.message)) caveats.push(result.error.message);
  // A decision with no binding is OPA's "undefined": the event then carries no result either.
  const replayedValue = result.error ? undefined : (result.bindings[0]?.value as JsonValue | undefined);
  const recordedValue = entry.result as JsonValue | undefined;
  const recordedEffect = opaEffect({ path, result: recordedValue, error: entry.error as never });
  const replayedEffect = opaEffect({ path, result: replayedValue, error: result.error as never });
  const same = result.error
    ? entry.error !== undefined && entry.error !== null
    : canonicalJson(recordedValue ?? null) === canonicalJson(replayedValue ?? null) && (recordedValue === undefined) === (replayedValue === undefined);
  return {
    status: same ? "reproduced" : "diverged",
    now: now.toISOString(),
    query,
    recorded: { ...(recordedValue !== undefined ? { result: recordedValue } : {}), effect: recordedEffect, ...(entry.error ? { error: entry.error } : {}) },
    replayed: { ...(replayedValue !== undefined ? { result: replayedValue } : {}), effect: replayedEffect, ...(result.error ? { error: result.error } : {}) },
    caveats,
  };
}
