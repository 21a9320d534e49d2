// Who is who: classifying identifiers into actor kinds and deciding when two references name the
// same party. Classification is a heuristic over naming conventions (SPIFFE scheme, "agent" in the
// id) because decision logs rarely carry an entity type; deployments override it via rules.

import type { ResolvedRules } from "./rules.ts";
import type { ActorKind, ActorRef, ActorSource } from "./types.ts";

export interface ActorClassifier {
  isAgentId(id: string): boolean;
  isHumanId(id: string): boolean;
}

export function isSpiffeId(id: string): boolean {
  return /^spiffe:\/\/[^/]+\/.+/i.test(id);
}

const IP_ADDRESS = /^(\[[0-9a-f:.]+\](:\d+)?|\d{1,3}(\.\d{1,3}){3}(:\d+)?|[0-9a-f]*:[0-9a-f:]+)$/i;

export function isNetworkAddress(id: string): boolean {
  return IP_ADDRESS.test(id.trim());
}

const DEFAULT_AGENT = /^agent[:\-]|agent/i;

/**
 * Defaults: an id that mentions "agent" is an agent; a human is anything that is not a SPIFFE id,
 * not agent-looking, not a URL (RFC 8693's example actors are service URLs) and not a bare network
 * address. Patterns or predicates in the rules replace these.
 */
type ClassifierRules = Pick<ResolvedRules, "agentIdPattern" | "humanIdPattern" | "isAgentId" | "isHumanId">;

const classifiers = new WeakMap<ClassifierRules, ActorClassifier>();

export function classifierFor(rules: ClassifierRules): ActorClassifier {
  let classifier = classifiers.get(rules);
  if (!classifier) {
    classifier = buildClassifier(rules);
    classifiers.set(rules, classifier);
  }
  return classifier;
}

function buildClassifier(rules: ClassifierRules): ActorClassifier {
  const agentPattern = rules.agentIdPattern ? new RegExp(rules.agentIdPattern) : DEFAULT_AGENT;
  const humanPattern = rules.humanIdPattern ? new RegExp(rules.humanIdPattern) : null;
  const isAgentId = rules.isAgentId ?? ((id: string) => agentPattern.test(id));
  const isHumanId =
    rules.isHumanId ??
    ((id: string) =>
      humanPattern
        ? humanPattern.test(id)
        : !isSpiffeId(id) && !isAgentId(id) && !id.includes("://") && !isNetworkAddress(id));
  return { isAgentId, isHumanId };
}

/**
 * The role an identifier played where it was found. Actors named in `act` or a delegation chain
 * are agents by definition (they acted for someone) unless they are SPIFFE workloads or the
 * deployment's human pattern says otherwise; a bare client id is a `client` unless agent-looking.
 */
export type ActorRole = "subject" | "actor" | "client" | "principal" | "presenter";

export function classifyActor(id: string, role: ActorRole, classifier: ActorClassifier): ActorKind {
  if (isSpiffeId(id)) return "workload";
  if (classifier.isAgentId(id)) return "agent";
  if (role === "actor") return "agent";
  if (role === "client") return "client";
  if (role === "presenter" && isNetworkAddress(id)) return "unknown";
  if (classifier.isHumanId(id)) return "human";
  return "unknown";
}

export interface ActorDetails {
  iss?: unknown;
  clientId?: unknown;
}

export function actorRef(id: string, source: ActorSource, role: ActorRole, classifier: ActorClassifier, details: ActorDetails = {}): ActorRef {
  const ref: ActorRef = { id, kind: classifyActor(id, role, classifier), source };
  if (typeof details.iss === "string" && details.iss !== "") ref.iss = details.iss;
  if (typeof details.clientId === "string" && details.clientId !== "" && details.clientId !== id) ref.clientId = details.clientId;
  if (isSpiffeId(id)) ref.spiffeId = id;
  return ref;
}

/** Same party: equal ids (and issuers when both are known), or one's client id / SPIFFE id is the other. */
export function sameActor(a: ActorRef, b: ActorRef): boolean {
  if (a.id === b.id) return a.iss === undefined || b.iss === undefined || a.iss === b.iss;
  if (a.clientId !== undefined && (a.clientId === b.id || a.clientId === b.clientId)) return true;
  if (b.clientId !== undefined && b.clientId === a.id) return true;
  return a.spiffeId !== undefined && a.spiffeId === b.spiffeId;
}

export function sameChain(a: readonly ActorRef[], b: readonly ActorRef[]): boolean {
  return a.length === b.length && a.every((actor, i) => actor.id === b[i].id);
}

/** `prefix` is the first prefix.length actors of `chain` (by id). */
export function chainStartsWith(chain: readonly ActorRef[], prefix: readonly ActorRef[]): boolean {
  return prefix.length <= chain.length && prefix.every((actor, i) => actor.id === chain[i].id);
}

function spiffeWorkloadName(spiffeId: string): string | null {
  const segments = spiffeId.replace(/^spiffe:\/\/[^/]+\//i, "").split("/").filter(Boolean);
  return segments.length ? segments[segments.length - 1].toLowerCase() : null;
}

/**
 * Whether a transport identity plausibly is the acting party. SPIFFE ids rarely equal OAuth subs,
 * so a SPIFFE presenter matches an actor whose id starts with the workload name (the service
 * account, last path segment): `…/sa/planner` ~ `planner-agent`.
 */
export function presenterMatchesActor(presenter: ActorRef, actor: ActorRef): boolean {
  if (sameActor(presenter, actor)) return true;
  const name = presenter.spiffeId ? spiffeWorkloadName(presenter.spiffeId) : null;
  if (!name) return false;
  const id = actor.id.toLowerCase();
  const actorWorkload = actor.spiffeId ? spiffeWorkloadName(actor.spiffeId) : null;
  if (actorWorkload === name) return true;
  return id === name || [`${name}-`, `${name}_`, `${name}:`, `${name}.`].some((p) => id.startsWith(p)) || id.endsWith(`:${name}`);
}

/** Presenters that name an identity (not a bare IP), i.e. the ones worth comparing to the actor. */
export function isIdentityPresenter(presenter: ActorRef): boolean {
  return !isNetworkAddress(presenter.id);
}
