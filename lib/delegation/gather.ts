// Rule-driven lookups, the same for both engines: each engine only decides what the lookup root is
// and how a path is named in provenance. Raw tokens are decoded and hashed here and go no further.

import { firstString, firstValue, valueAt, type Found } from "./paths.ts";
import type { ResolvedRules } from "./rules.ts";
import { claimSetsAt, decodeCompactToken, type ClaimSet } from "./tokens.ts";

export interface GatheredSources {
  claimSets: ClaimSet[];
  tokenSha256: Found<string> | null;
  principalId: Found<string> | null;
  onBehalfOf: Found<string> | null;
  delegationChain: Found<unknown> | null;
  agentId: Found<string> | null;
  taskId: Found<string> | null;
  txnId: Found<string> | null;
  traceparent: Found<string> | null;
  traceId: Found<string> | null;
  spanId: Found<string> | null;
  parentSpanId: Found<string> | null;
  baggage: Found<string> | null;
  tracestate: Found<string> | null;
  scopes: Found<unknown> | null;
  audience: Found<unknown> | null;
  presenter: Found<unknown> | null;
  mcpMethod: Found<string> | null;
  mcpName: Found<string> | null;
  mcpServer: Found<string> | null;
  targetUri: Found<string> | null;
  warnings: string[];
}

/** Turns a rule path into the provenance name shown to investigators. */
export type PathLabel = (path: string) => string;

function rawTokens(root: unknown, paths: readonly string[], label: PathLabel, txnSlot: boolean, warnings: string[]): ClaimSet[] {
  const sets: ClaimSet[] = [];
  for (const path of paths) {
    const value = valueAt(root, path);
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== "string" || v.trim() === "") continue;
      const decoded = decodeCompactToken(v, label(path), txnSlot);
      if (decoded) sets.push(decoded);
      // Never echo the value: it may be a secret even when it is not a JWT.
      else warnings.push(`${label(path)} holds a value that is not a compact JWT; ignored`);
    }
  }
  return sets;
}

export function gatherSources(root: unknown, rules: ResolvedRules, label: PathLabel): GatheredSources {
  const warnings: string[] = [];
  const claimSets = [
    ...rules.claimsPaths.flatMap((path) => {
      const value = valueAt(root, path);
      return value === undefined ? [] : claimSetsAt(value, label(path));
    }),
    ...rawTokens(root, rules.tokenPaths, label, false, warnings),
    ...rawTokens(root, rules.txnTokenPaths, label, true, warnings),
  ];
  // The same token can be reachable by two paths (Envoy headers and OPA's request_context capture).
  const seen = new Set<string>();
  const unique = claimSets.filter((s) => {
    if (s.sha256 === null) return true;
    if (seen.has(s.sha256)) return false;
    seen.add(s.sha256);
    return true;
  });
  return {
    claimSets: unique,
    tokenSha256: firstString(root, rules.tokenSha256Paths),
    principalId: firstString(root, rules.subjectId),
    onBehalfOf: firstString(root, rules.onBehalfOf),
    delegationChain: firstValue(root, rules.delegationChain),
    agentId: firstString(root, rules.agentId),
    taskId: firstString(root, rules.taskId),
    txnId: firstString(root, rules.txnId),
    traceparent: firstString(root, rules.traceparent),
    traceId: firstString(root, rules.traceId),
    spanId: firstString(root, rules.spanId),
    parentSpanId: firstString(root, rules.parentSpanId),
    baggage: firstString(root, rules.baggage),
    tracestate: firstString(root, rules.tracestate),
    scopes: firstValue(root, rules.scopes),
    audience: firstValue(root, rules.audience),
    presenter: firstValue(root, rules.presenter),
    mcpMethod: firstString(root, rules.mcpMethod),
    mcpName: firstString(root, rules.mcpName),
    mcpServer: firstString(root, rules.mcpServer),
    targetUri: firstString(root, rules.targetUri),
    warnings,
  };
}
