// Loads the OPA decision mappings (lib/formats/opa-decision-mappings.ts) from the JSON file named by
// HINDSIGHT_OPA_DECISION_MAPPINGS, once per process, at the ingest boundary. A bad file stops the
// process with a message naming the problem rather than silently mapping decisions wrong.
import { readFileSync } from "node:fs";
import { opaDecisionMappingsSchema, setOpaDecisionMappings } from "../formats/opa-decision-mappings.ts";

let loaded = false;

export function loadOpaDecisionMappings(file = process.env.HINDSIGHT_OPA_DECISION_MAPPINGS): void {
  if (loaded) return;
  loaded = true;
  if (!file) return;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`HINDSIGHT_OPA_DECISION_MAPPINGS=${file}: cannot read JSON: ${(err as Error).message}`);
  }
  const parsed = opaDecisionMappingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`HINDSIGHT_OPA_DECISION_MAPPINGS=${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  setOpaDecisionMappings(parsed.data.mappings.map((m) => ({ ...m, expect: m.expect ?? true })));
}
