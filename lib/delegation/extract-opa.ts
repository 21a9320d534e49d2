// OPA decision event → delegation facts. OPA logs the raw input, so tokens arrive compact (Envoy
// `authorization`, `input.token`, `Txn-Token` header): they are decoded without verification,
// hashed, and dropped (gather.ts). A mask policy's decoded `token_claims` is read as well.

import type { JsonObject } from "../formats/types.ts";
import { assembleFacts } from "./assemble.ts";
import { gatherSources } from "./gather.ts";
import type { ResolvedRules } from "./rules.ts";
import type { ActorSource, DelegationFacts, ExtractionInput } from "./types.ts";

export function opaPathLabel(path: string): string {
  return `opa.${path}`;
}

function opaAttrSource(path: string): ActorSource {
  if (path.includes("source.principal")) return "envoy.source.principal";
  return "input";
}

export function extractOpaDelegation(input: ExtractionInput, rules: ResolvedRules): DelegationFacts {
  const event: JsonObject = input.entry;
  const gathered = gatherSources(event, rules, opaPathLabel);
  return assembleFacts({
    gathered,
    rules,
    label: opaPathLabel,
    attrSource: opaAttrSource,
    resourceKind: input.hop.resourceKind,
    resourceId: input.hop.resourceId,
  });
}
