// The contract of lib/delegation: what one decision says about delegation (DelegationFacts), how
// decisions group into tasks (Task), and what looks wrong (Flag). Pure data; no database, no I/O.
// Shapes follow the proposed hop model in reference/delegation.md §1.9.

import type { Effect, HopFields, JsonObject } from "../formats/types.ts";

export type ActorKind = "human" | "agent" | "workload" | "client" | "unknown";

/** Where an actor's identity was read from (the kind of source, not the exact path: see provenance). */
export type ActorSource =
  | "jwt.sub"
  | "jwt.act"
  | "jwt.client_id"
  | "jwt.azp"
  | "jwt.may_act"
  | "txn.req_wl"
  | "principal.id"
  | "principal.attr"
  | "envoy.source.principal"
  | "xfcc"
  | "peer"
  | "annotation"
  | "input";

export interface ActorRef {
  /** sub | SPIFFE ID | client_id | principal id, exactly as recorded. */
  id: string;
  /** Issuer that named the actor; iss+sub may be needed to tell two actors apart. */
  iss?: string;
  kind: ActorKind;
  clientId?: string;
  spiffeId?: string;
  source: ActorSource;
}

/**
 * How much of the delegation path the record discloses: `full` (an explicit chain that parsed
 * cleanly), `partial` (a chain with holes: a level without `sub`, nesting that is not an object,
 * sources that disagree), `committed` (a level carries only a digest of hidden actors), `none`
 * (no delegation information; the actor is just whoever the PDP was told asked).
 */
export type ChainCompleteness = "full" | "partial" | "committed" | "none";

/** Which structure the actor chain was built from; flags need it to tell "no actor recorded" apart. */
export type ChainSource = "act" | "delegation_chain" | "on_behalf_of" | "client" | "subject" | "principal" | "presenter" | "none";

export interface TokenFacts {
  typ: string | null;
  iss: string | null;
  aud: string[];
  jti: string | null;
  /** ISO 8601 when the claim was a NumericDate or a parseable date; else as recorded. */
  iat: string | null;
  exp: string | null;
  /** SHA-256 (hex) of the compact token when a raw token was seen; the token itself is never kept. */
  sha256: string | null;
  /** Claims in logs are assertions; nothing here verifies signatures (keys are never fetched). */
  sigVerified: "unknown";
}

/** Txn-Token generations differ in field names (reference §1.2); `unknown` when only the id was seen. */
export type TxnDraftGen = "draft-03" | "draft-10" | "unknown";

export interface TxnFacts {
  txn: string;
  /** Requesting workloads, oldest first: draft-03 `rctx.req_wl` (string or array), draft-10 top-level `req_wl`. */
  reqWl: string[];
  draftGen: TxnDraftGen;
  /** draft-10 `scope` or draft-03 `purp`. */
  purpose: string | null;
  /** SHA-256 of the compact Txn-Token when it was seen raw (header); never the token itself. */
  tokenSha256: string | null;
}

export interface TraceFacts {
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  baggage: Record<string, string>;
  /** W3C `tracestate` as recorded (vendor list), when allow-listed. */
  tracestate: string | null;
}

export interface TargetFacts {
  kind: string | null;
  id: string | null;
  tool: string | null;
  mcpServer: string | null;
  mcpMethod: string | null;
  /** A URI naming the resource (resource attr `uri`/`audience`, HTTP host), for audience checks. */
  uri: string | null;
}

/** Field of DelegationFacts → the rule that produced it, e.g. "cerbos.auxData.jwt.act", "annotation.task_id". */
export type ProvenanceField =
  | "initiatingHuman"
  | "actingAgent"
  | "actorChain"
  | "subject"
  | "principal"
  | "mayAct"
  | "presenter"
  | "audience"
  | "delegatedScopes"
  | "token"
  | "txn"
  | "txn.reqWl"
  | "trace.traceId"
  | "trace.spanId"
  | "trace.parentSpanId"
  | "trace.baggage"
  | "trace.tracestate"
  | "taskId"
  | "target.tool"
  | "target.mcpServer"
  | "target.mcpMethod"
  | "target.uri";

export type Provenance = Partial<Record<ProvenanceField, string>>;

export interface DelegationFacts {
  /** Root human: top-level `sub` when it classifies as human, else on_behalf_of, else a human principal. */
  initiatingHuman: ActorRef | null;
  /** Current actor: outermost `act`, else delegation chain tail, client_id/azp, principal. */
  actingAgent: ActorRef;
  /** Origin → current; excludes the initiating human. */
  actorChain: ActorRef[];
  chainCompleteness: ChainCompleteness;
  chainSource: ChainSource;
  /** Whose credential the request carried: token `sub`, else the PDP principal. */
  subject: ActorRef | null;
  /** Who the PEP told the PDP is asking (Cerbos principal.id, OPA input.subject.id…). */
  principal: ActorRef | null;
  /** `may_act` of the token; null when the token has none (absence is not a violation). */
  mayAct: ActorRef[] | null;
  /** Transport-authenticated presenter (SPIFFE, XFCC, forwarded-for, peer address). */
  presenter: ActorRef | null;
  audience: string[];
  delegatedScopes: string[];
  token: TokenFacts | null;
  txn: TxnFacts | null;
  trace: TraceFacts;
  /** Explicit task id only (annotation, attribute, baggage, header); never inferred here. */
  taskId: string | null;
  target: TargetFacts;
  provenance: Provenance;
  /** What extraction tolerated (e.g. an `act` level without `sub`); never contains token bytes. */
  warnings: string[];
}

export interface ExtractionInput {
  engine: "cerbos" | "opa";
  /** ParsedRecord.entry: the Cerbos DecisionLogEntry or OPA event with transport envelopes removed. */
  entry: JsonObject;
  /** Which CheckInput of a Cerbos entry (HopFields.inputIndex); 0 for OPA. */
  inputIndex: number;
  hop: HopFields;
}

/**
 * Where to look, per PDP source. Each list holds dot paths tried in order; the first non-empty
 * value wins. Cerbos paths are rooted at the entry, with the hop's CheckInput also reachable as
 * `input`, `principal`, `resource`, `auxData`; OPA paths at the event (`input.…`, `request_context.…`).
 * A path segment may itself contain dots (`requestContext.annotations.mcp.method`); header maps
 * match case-insensitively. Unset fields take the engine defaults (rules.ts).
 */
export interface ExtractionRules {
  taskId?: string[];
  txnId?: string[];
  traceparent?: string[];
  traceId?: string[];
  spanId?: string[];
  parentSpanId?: string[];
  baggage?: string[];
  tracestate?: string[];
  /** Compact JWTs (optionally "Bearer "-prefixed): decoded without verification, hashed, discarded. */
  tokenPaths?: string[];
  /** Compact Txn-Tokens (header `Txn-Token`). */
  txnTokenPaths?: string[];
  /** Already-decoded claim objects (Cerbos auxData.jwt, an OPA mask policy's `token_claims`). */
  claimsPaths?: string[];
  /** SHA-256 of a token some PDP mask policy computed before removing it. */
  tokenSha256Paths?: string[];
  subjectId?: string[];
  onBehalfOf?: string[];
  delegationChain?: string[];
  agentId?: string[];
  scopes?: string[];
  audience?: string[];
  presenter?: string[];
  mcpMethod?: string[];
  mcpName?: string[];
  mcpServer?: string[];
  targetUri?: string[];
  /** Regex sources (config files cannot carry functions). */
  agentIdPattern?: string;
  humanIdPattern?: string;
  /** Programmatic overrides; take precedence over the patterns. */
  isAgentId?: (id: string) => boolean;
  isHumanId?: (id: string) => boolean;
}

/** Per-deployment configuration: defaults for all sources plus overrides per PDP instance (glob `*`). */
export interface ExtractionConfig {
  default?: ExtractionRules;
  sources?: Record<string, ExtractionRules>;
}

// ---- correlation ------------------------------------------------------------------------------

export type EvidenceKind = "explicit_task_id" | "txn" | "trace_id" | "jti_link" | "token_lineage" | "time_window";

export interface CorrelationEvidence {
  kind: EvidenceKind;
  value: string;
  confidence: number;
  /** Hops that carry this value (for lineage/time_window: the hops the link joins). */
  hopIds: string[];
  inferred: boolean;
}

export interface CorrelationHop {
  hopId: string;
  decidedAt: Date;
  effect: Effect;
  action: string;
  resource: { kind: string | null; id: string | null };
  facts: DelegationFacts;
}

export type TaskEdgeKind = "span" | "chain_extension" | "req_wl" | "sequence";

export interface TaskEdge {
  parentHopId: string;
  childHopId: string;
  kind: TaskEdgeKind;
  confidence: number;
  /** True for time-window links: render dashed, needs investigator confirmation. */
  inferred: boolean;
}

export interface Task {
  taskKey: string;
  taskId?: string;
  evidence: CorrelationEvidence[];
  /** Weakest link that holds the group together (1 for a single hop). */
  confidence: number;
  /** True when any hop joined only through a time-window inference. */
  inferred: boolean;
  initiatingHuman: ActorRef | null;
  /** Decision-time order (never ingestion order); ties broken by hop id. */
  hopIds: string[];
  edges: TaskEdge[];
  /** Distinct actors of the chains and acting agents, in order of first appearance. */
  actors: ActorRef[];
  /** Flag code → number of hops carrying it. */
  flags: Partial<Record<FlagCode, number>>;
}

export interface CorrelationOptions {
  /** Largest gap for time-window inference, ms (default 5 min). */
  timeWindowMs?: number;
}

// ---- flags ------------------------------------------------------------------------------------

export type FlagCode =
  | "delegation_collapse"
  | "scope_widened"
  | "actor_not_in_may_act"
  | "aud_mismatch"
  | "chain_gap"
  | "presenter_ne_actor"
  | "deny_then_allow_elsewhere";

export interface Flag {
  code: FlagCode;
  /** A sentence naming the values, e.g. "scopes crm.search not delegated by parent hop h1 (crm.read)". */
  reason: string;
  relatedHopIds?: string[];
}
