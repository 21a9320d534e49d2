// Entry point of extraction: one hop (record × input × action) → its delegation facts.

import { extractCerbosDelegation } from "./extract-cerbos.ts";
import { extractOpaDelegation } from "./extract-opa.ts";
import { resolveRules } from "./rules.ts";
import type { DelegationFacts, ExtractionInput, ExtractionRules } from "./types.ts";

/**
 * Reads who delegated to whom, with which token, in which task/trace, for one hop. Pure: no I/O,
 * no key fetching; raw tokens are hashed and never returned. `rules` override the engine defaults
 * (see rulesForSource for per-PDP configuration).
 */
export function extractDelegation(input: ExtractionInput, rules?: ExtractionRules): DelegationFacts {
  const resolved = resolveRules(input.engine, rules);
  return input.engine === "cerbos" ? extractCerbosDelegation(input, resolved) : extractOpaDelegation(input, resolved);
}
