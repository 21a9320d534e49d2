// The demo's Cerbos decisions come from the real demo policies (lib/demo/policies/vN) evaluated by
// the embedded engine, so every record replays to what it says. Each version is compiled once, on
// first use (compiling is a few ms; most callers touch all three).

import { compileCerbosPolicies, type CerbosPolicySet, type CheckInput, type CheckOutput } from "../engine/cerbos/index.ts";
import { demoPolicyFiles, type DemoPolicyVersion } from "./policy-files.ts";

const compiled = new Map<DemoPolicyVersion, CerbosPolicySet>();

/** The compiled policy set of one demo version; throws if the shipped policies do not compile (a bug). */
export function demoCerbosPolicySet(version: DemoPolicyVersion): CerbosPolicySet {
  let set = compiled.get(version);
  if (!set) {
    const files = demoPolicyFiles(version);
    const outcome = compileCerbosPolicies({ policies: files.map((f) => ({ path: f.path, text: f.content })), schemas: [] });
    if (!outcome.ok || !outcome.policySet) {
      const errors = outcome.ok ? [] : outcome.errors;
      throw new Error(`demo Cerbos policies v${version} do not compile: ${JSON.stringify(errors)}`);
    }
    set = outcome.policySet;
    compiled.set(version, set);
  }
  return set;
}

/** Decides one CheckInput as Cerbos would with policy `version` in force at `ms`. */
export function checkDemoCerbos(version: DemoPolicyVersion, input: CheckInput, ms: number): CheckOutput {
  return demoCerbosPolicySet(version).check(input, { now: new Date(ms) });
}
