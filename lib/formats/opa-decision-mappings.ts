// How an OPA decision's result maps to allow/deny, per decision path. OPA results are arbitrary JSON;
// the defaults understand booleans and {allow|allowed|allow_request: bool} / {deny: true}. A mapping names
// where the verdict sits in the result, what value means "allowed", and whether it is negated (a
// `deny` rule), like Styra DAS decision mappings. Pure: callers set the mappings (lib/ingest loads them).
import { z } from "zod";
import type { Effect } from "./types.ts";

export interface OpaDecisionMapping {
  /** Decision path, e.g. "envoy/authz/allow"; a trailing "/*" matches every path below. */
  path: string;
  /** Dot path inside the result to the verdict ("" = the result itself). */
  allowedPath: string;
  /** The verdict value that means allowed (compared as JSON). */
  expect: unknown;
  /** True when a match means denied (e.g. a `deny` rule). */
  negated: boolean;
}

export const opaDecisionMappingsSchema = z.object({
  mappings: z.array(
    z.strictObject({
      path: z.string().min(1, "path must not be empty"),
      allowedPath: z.string().default(""),
      expect: z.unknown().default(true),
      negated: z.boolean().default(false),
    }),
  ),
});

let configured: OpaDecisionMapping[] = [];

export function setOpaDecisionMappings(mappings: OpaDecisionMapping[]): void {
  configured = mappings;
}

function normalizePath(path: string): string {
  return path.replace(/^\/+/, "").replace(/^v1\/data\//, "");
}

export function mappingFor(path: string | undefined, mappings: readonly OpaDecisionMapping[] = configured): OpaDecisionMapping | undefined {
  if (!path) return undefined;
  const p = normalizePath(path);
  return (
    mappings.find((m) => normalizePath(m.path) === p) ??
    mappings.find((m) => m.path.endsWith("/*") && p.startsWith(normalizePath(m.path.slice(0, -1))))
  );
}

function at(value: unknown, dotPath: string): unknown {
  if (!dotPath) return value;
  let cur = value;
  for (const key of dotPath.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The effect under a mapping; "unknown" when the verdict is missing from the result. */
export function effectUnderMapping(result: unknown, m: OpaDecisionMapping): Effect {
  const verdict = at(result, m.allowedPath);
  if (verdict === undefined) return "unknown";
  const matches = JSON.stringify(verdict) === JSON.stringify(m.expect);
  return matches !== m.negated ? "allow" : "deny";
}
