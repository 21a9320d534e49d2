// Reading delegation chains: RFC 8693 nested `act` (outermost = current actor, innermost = least
// recent), `may_act`, and the flat chain arrays PEPs put in attributes. The IETF examples are
// non-normative (nesting is "can", members vary), so every reader tolerates extra members, levels
// without `sub` and non-object nesting, and says what it tolerated.

import { actorRef, type ActorClassifier } from "./actors.ts";
import { asObject, nonEmptyString } from "./paths.ts";
import type { ActorRef, ActorSource, ChainCompleteness } from "./types.ts";

export interface ChainRead {
  /** Origin → current. */
  actors: ActorRef[];
  completeness: Exclude<ChainCompleteness, "none">;
  warnings: string[];
}

// Deep nesting in a log is hostile or broken; real chains are a handful of hops.
const MAX_ACT_DEPTH = 32;

/** A level that names no actor but commits to hidden ones (draft-mw-spice-actor-chain subset disclosure). */
function isCommitment(level: Record<string, unknown>): boolean {
  return Object.keys(level).some((k) => /hash|digest|commit/i.test(k));
}

function actorFromLevel(level: unknown, classifier: ActorClassifier, source: ActorSource): ActorRef | null {
  const id = nonEmptyString(level);
  if (id) return actorRef(id, source, "actor", classifier);
  const o = asObject(level);
  if (!o) return null;
  const sub = nonEmptyString(o.sub) ?? nonEmptyString(o.id);
  const clientId = nonEmptyString(o.client_id) ?? nonEmptyString(o.azp);
  // A level naming only a client (MCP/ID-JAG style) still names the actor.
  const named = sub ?? clientId;
  if (!named) return null;
  return actorRef(named, source, "actor", classifier, { iss: o.iss, clientId: sub ? clientId : undefined });
}

/** Flattens nested `act` outermost→innermost, then reverses it to origin→current. */
export function flattenActClaim(act: unknown, classifier: ActorClassifier): ChainRead {
  const warnings: string[] = [];
  let completeness: ChainRead["completeness"] = "full";
  if (Array.isArray(act)) {
    // Not RFC 8693 shape; some profiles list actors. Order is not standardized, so the chain is
    // read as origin→current (like delegation_chain arrays) and marked partial for review.
    const actors = act.map((level) => actorFromLevel(level, classifier, "jwt.act")).filter((a): a is ActorRef => a !== null);
    warnings.push(`act is an array of ${act.length} entries, not nested objects; read in order as origin→current`);
    return { actors, completeness: "partial", warnings };
  }
  const outermostFirst: ActorRef[] = [];
  let level: unknown = act;
  for (let depth = 0; level !== undefined && level !== null; depth++) {
    if (depth >= MAX_ACT_DEPTH) {
      warnings.push(`act nested deeper than ${MAX_ACT_DEPTH} levels; the rest was ignored`);
      completeness = "partial";
      break;
    }
    const actor = actorFromLevel(level, classifier, "jwt.act");
    const o = asObject(level);
    if (actor) outermostFirst.push(actor);
    else if (o && isCommitment(o)) {
      warnings.push(`act at depth ${depth} names no actor, only a commitment (${Object.keys(o).filter((k) => /hash|digest|commit/i.test(k)).join(", ")})`);
      if (completeness === "full") completeness = "committed";
    } else {
      warnings.push(o ? `act at depth ${depth} has no sub or client_id` : `act at depth ${depth} is ${Array.isArray(level) ? "an array" : typeof level}, not an object`);
      completeness = "partial";
    }
    if (!o) break;
    level = o.act;
  }
  return { actors: outermostFirst.reverse(), completeness, warnings };
}

/** `may_act`: one identity object (RFC 8693 §4.4), tolerated as an array or a bare id too. */
export function readMayAct(mayAct: unknown, classifier: ActorClassifier): ActorRef[] {
  const items = Array.isArray(mayAct) ? mayAct : [mayAct];
  return items.map((item) => actorFromLevel(item, classifier, "jwt.may_act")).filter((a): a is ActorRef => a !== null);
}

/**
 * A flat chain from attributes/annotations: an array of ids or {id|sub, iss, client_id} objects, or
 * a comma/`>`-separated string; origin first.
 */
export function readChainList(value: unknown, classifier: ActorClassifier, source: ActorSource): ActorRef[] {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(/\s*[,>]\s*/) : [];
  return items.map((item) => actorFromLevel(item, classifier, source)).filter((a): a is ActorRef => a !== null);
}
