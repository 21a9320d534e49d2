// Cerbos decision entry → delegation facts for one hop. Cerbos logs JWTs already decoded
// (`auxData.jwt`, `auxData.jwts[name].claims`), so there is normally no raw token to hash.

import type { JsonObject } from "../formats/types.ts";
import { assembleFacts } from "./assemble.ts";
import { gatherSources } from "./gather.ts";
import { asObject, type Obj } from "./paths.ts";
import type { ResolvedRules } from "./rules.ts";
import type { ActorSource, DelegationFacts, ExtractionInput } from "./types.ts";

const ANNOTATIONS = "requestContext.annotations.";

/** The CheckInput (or PlanResources input) a hop came from; undefined for an output-only hop. */
export function cerbosCheckInput(entry: JsonObject, inputIndex: number): Obj | undefined {
  const check = asObject(entry.checkResources);
  const plan = asObject(entry.planResources);
  if (plan && !check) return asObject(plan.input);
  const inputs = check?.inputs ?? entry.inputs;
  return Array.isArray(inputs) ? asObject(inputs[inputIndex]) : undefined;
}

export function cerbosPathLabel(path: string): string {
  if (path.startsWith(ANNOTATIONS)) return `annotation.${path.slice(ANNOTATIONS.length)}`;
  if (path.startsWith("principal.") || path.startsWith("metadata.")) return path;
  return `cerbos.${path}`;
}

function cerbosAttrSource(path: string): ActorSource {
  if (path === "principal.id") return "principal.id";
  if (path.startsWith("principal.")) return "principal.attr";
  if (path.startsWith(ANNOTATIONS)) return "annotation";
  if (path.startsWith("peer.")) return "peer";
  return "input";
}

export function extractCerbosDelegation(input: ExtractionInput, rules: ResolvedRules): DelegationFacts {
  const { entry, inputIndex, hop } = input;
  const checkInput = cerbosCheckInput(entry, inputIndex);
  // Paths address the hop's own CheckInput as `principal`, `resource`, `auxData`, or `input`.
  const principal = asObject(checkInput?.principal) ?? (hop.principalId ? { id: hop.principalId } : undefined);
  const root: Obj = {
    ...entry,
    input: checkInput,
    principal,
    resource: asObject(checkInput?.resource),
    auxData: asObject(checkInput?.auxData),
  };
  const gathered = gatherSources(root, rules, cerbosPathLabel);
  return assembleFacts({
    gathered,
    rules,
    label: cerbosPathLabel,
    attrSource: cerbosAttrSource,
    resourceKind: hop.resourceKind,
    resourceId: hop.resourceId,
  });
}
