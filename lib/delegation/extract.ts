// Entry point of extraction: one hop (record × input × action) → its delegation facts.

import { extractCerbosDelegation } from "./extract-cerbos.ts";
import { extractOpaDelegation } from "./extract-opa.ts";
import { resolveRules } from "./rules.ts";
import type { ParsedRecord } from "../formats/types.ts";
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

/**
 * Facts for every hop of a parsed record, aligned with `record.hops`. Hops of the same input share
 * one extraction (facts depend on the input, not the action), which matters for Cerbos calls that
 * check many actions at once.
 */
export function extractRecordDelegation(record: Pick<ParsedRecord, "engine" | "entry" | "hops">, rules?: ExtractionRules): DelegationFacts[] {
  const byInput = new Map<number, DelegationFacts>();
  return record.hops.map((hop) => {
    let facts = byInput.get(hop.inputIndex);
    if (!facts) {
      facts = extractDelegation({ engine: record.engine, entry: record.entry, inputIndex: hop.inputIndex, hop }, rules);
      byInput.set(hop.inputIndex, facts);
    }
    return facts;
  });
}
