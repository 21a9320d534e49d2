// Reads a stored OPA decision-log event (EventV1, console envelope removed at ingest) into the parts the
// detail page shows. Field meanings: reference/opa.md §1.3.
import type { JsonObject, JsonValue } from "../formats/types.ts";
import { decodeJwtClaims } from "../formats/jwt-claims.ts";
import { asObject, asString, asStrings } from "./json-access.ts";

export interface OpaEventView {
  decisionId?: string;
  path?: string;
  query?: string;
  timestamp?: string;
  requestedBy?: string;
  reqId?: number;
  traceId?: string;
  spanId?: string;
  batchDecisionId?: string;
  /** bundle name → revision; the legacy single `revision` appears under the name "(revision)". */
  bundleRevisions: { bundle: string; revision: string }[];
  labels?: JsonObject;
  erased: string[];
  masked: string[];
  /** Evaluation result; undefined means OPA logged none (undefined decision or an error). */
  result?: JsonValue;
  hasResult: boolean;
  /** Bearer tokens found in the input (e.g. an Envoy authorization header), decoded but not verified. */
  jwtClaims: { pointer: string; claims: JsonObject }[];
  /** JSON sections shown as they are, in this order, when present. */
  sections: { key: string; label: string; value: JsonValue }[];
}

const JSON_SECTIONS: { key: string; label: string }[] = [
  { key: "input", label: "Input" },
  { key: "mapped_result", label: "Mapped result (SDK Partial)" },
  { key: "error", label: "Error" },
  { key: "metrics", label: "Metrics" },
  { key: "nd_builtin_cache", label: "Non-deterministic built-in cache (nd_builtin_cache)" },
  { key: "request_context", label: "Request context" },
  { key: "intermediate_results", label: "Intermediate results" },
  { key: "custom", label: "Custom" },
];

const JWT_SHAPE = /^(?:bearer\s+)?[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/i;
const MAX_JWT_SCAN_NODES = 2_000;

/** JSON-pointer paths and claims of the JWTs in `value`: OPA logs the token, Cerbos logs the claims. */
export function findJwtClaims(value: JsonValue | undefined): { pointer: string; claims: JsonObject }[] {
  const found: { pointer: string; claims: JsonObject }[] = [];
  let budget = MAX_JWT_SCAN_NODES;
  const escape = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");
  const visit = (v: JsonValue | undefined, pointer: string, depth: number) => {
    if (v === undefined || budget-- <= 0 || depth > 12) return;
    if (typeof v === "string") {
      if (JWT_SHAPE.test(v)) {
        const claims = decodeJwtClaims(v);
        if (claims) found.push({ pointer, claims: claims as JsonObject });
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${pointer}/${i}`, depth + 1));
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) visit(item, `${pointer}/${escape(k)}`, depth + 1);
    }
  };
  visit(value, "/input", 0);
  return found;
}

export function readOpaEvent(entry: JsonObject): OpaEventView {
  const bundles = asObject(entry.bundles) ?? {};
  const bundleRevisions = Object.entries(bundles).map(([bundle, info]) => ({
    bundle,
    revision: asString(asObject(info)?.revision) ?? "",
  }));
  const legacy = asString(entry.revision);
  if (legacy) bundleRevisions.push({ bundle: "(revision)", revision: legacy });
  const sections = JSON_SECTIONS.filter((s) => entry[s.key] !== undefined).map((s) => ({ ...s, value: entry[s.key] }));
  return {
    decisionId: asString(entry.decision_id),
    path: asString(entry.path),
    query: asString(entry.query),
    timestamp: asString(entry.timestamp),
    requestedBy: asString(entry.requested_by),
    reqId: typeof entry.req_id === "number" ? entry.req_id : undefined,
    traceId: asString(entry.trace_id),
    spanId: asString(entry.span_id),
    batchDecisionId: asString(entry.batch_decision_id),
    bundleRevisions,
    labels: asObject(entry.labels),
    erased: asStrings(entry.erased),
    masked: asStrings(entry.masked),
    result: entry.result,
    hasResult: entry.result !== undefined,
    jwtClaims: findJwtClaims(entry.input),
    sections,
  };
}
