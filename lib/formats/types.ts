// The contract between lib/formats (parse + validate raw PDP output) and lib/ingest (store it).
// Parsers are pure: bytes in, ParsedRecord / ItemRejection out. No database, no I/O.

export type Engine = "cerbos" | "opa";

/** Cerbos writes two entry kinds; OPA only decisions. Access entries are stored but are not decisions. */
export type RecordKind = "decision" | "access";

/**
 * How a PDP decided one (resource, action). `conditional` is a PlanResources KIND_CONDITIONAL filter;
 * `error` an OPA evaluation error, or a Cerbos call whose `error` is set and that has no output for
 * the action; `unknown` an OPA result we cannot map to allow/deny, or a Cerbos action with no output.
 */
export type Effect = "allow" | "deny" | "conditional" | "error" | "unknown";

/** Which wire shape an item came in; kept so investigators can see how a record arrived. */
export type SourceFormat =
  | "cerbos.file" // file backend NDJSON line with "log.kind"
  | "cerbos.admin" // Admin API / cerbosctl line {"result":{"decisionLogEntry"|"accessLogEntry":{...}}}
  | "cerbos.entry" // a bare DecisionLogEntry / AccessLogEntry object (e.g. pretty-printed single entry, Kafka protojson)
  | "opa.event" // a bare EventV1 object (upload array element or single event)
  | "opa.console"; // console line {"msg":"Decision Log","type":"openpolicyagent.org/decision_logs",...}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One normalized decision: one (record × input × action). */
export interface HopFields {
  /**
   * Index of the CheckInput inside checkResources.inputs (0 for OPA and plan entries). An output that
   * matches no input is numbered after the inputs (inputs.length, +1, …) so (record, inputIndex, action) stays unique.
   */
  inputIndex: number;
  action: string;
  effect: Effect;
  principalId: string | null;
  roles: string[];
  /** The agent acting, when the record says so (JWT `act.sub`, principal attributes); else null. */
  actingAgent: string | null;
  resourceKind: string | null;
  resourceId: string | null;
  /** Deciding policy: Cerbos `actions[a].policy` (incl. NO_MATCH sentinels); OPA decision `path`. */
  policy: string | null;
  /** Cerbos scope that decided (actions[a].scope), or resource scope as requested. */
  scope: string | null;
  /** Cerbos resource.policyVersion as sent (empty → null); OPA: null. */
  policyVersion: string | null;
  /** Source revision the PDP reported: Cerbos policySource git hash / hub bundleId, else per-policy commit_hash; OPA bundle revisions joined "name=rev,…". */
  policySourceRef: string | null;
  derivedRoles: string[];
  /** Cerbos CheckInput/plan requestId; OPA `req_id` as text (a per-process counter, not globally unique). */
  requestId: string | null;
  /** "CheckResources" | "PlanResources" | "data" | "query" */
  method: string;
}

export interface ParsedRecord {
  engine: Engine;
  kind: RecordKind;
  format: SourceFormat;
  /** Cerbos callId / OPA decision_id. null only when the item carries none (then ingest keys by content hash). */
  recordKey: string | null;
  /** OPA labels.id. Cerbos records name no instance: null (ingest fills it from the token / --pdp). */
  pdpInstance: string | null;
  /** Entry timestamp (Cerbos decision time is after evaluation; OPA event time). */
  decidedAt: Date;
  /** Exact bytes of this item as received (a line, an array element, or the whole document). */
  raw: Buffer;
  /**
   * The entry with transport envelopes removed (file-backend `log.*` keys, Admin API `result` wrapper,
   * OPA console `level/msg/type/time`), otherwise as received. Stored as the jsonb query copy.
   */
  entry: JsonObject;
  /** Decision hops (empty for access entries). */
  hops: HopFields[];
  /**
   * What the parser changed in `entry` without rejecting the item, e.g. NUL characters replaced
   * because Postgres jsonb cannot store them. Absent when nothing was changed.
   */
  warnings?: string[];
}

export interface ItemRejection {
  /** 1-based line number (NDJSON) or 1-based array index position for arrays, as `line`. */
  line: number;
  /** Human-readable reason naming what is wrong, e.g. "line 3: checkResources.outputs[0].actions must be an object". */
  reason: string;
}

export interface ParseResult {
  records: ParsedRecord[];
  rejected: ItemRejection[];
}

/** Limits that keep hostile input from costing memory or stack. */
export interface ParseLimits {
  /** Largest single item in bytes. */
  maxItemBytes: number;
  /** Deepest JSON nesting accepted. */
  maxDepth: number;
  /**
   * Most items one input may hold; with more, the whole input is rejected with one reason. Each item
   * costs memory however small it is (`{}` is 3 bytes), so network-facing callers set this; default none.
   */
  maxItems: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxItemBytes: 4 * 1024 * 1024,
  maxDepth: 64,
  maxItems: Number.POSITIVE_INFINITY,
};
