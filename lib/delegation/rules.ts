// Where delegation facts live in each engine's records (reference/delegation.md §1.10, §1.12),
// as data so a deployment can point at its own conventions per PDP source without code changes.

import { z } from "zod";
import type { ExtractionConfig, ExtractionRules } from "./types.ts";

type PathField = Exclude<keyof ExtractionRules, "agentIdPattern" | "humanIdPattern" | "isAgentId" | "isHumanId">;

/** Rules with every path list present (engine defaults filled in). */
export type ResolvedRules = Required<Pick<ExtractionRules, PathField>> &
  Pick<ExtractionRules, "agentIdPattern" | "humanIdPattern" | "isAgentId" | "isHumanId">;

const ANNOTATION = "requestContext.annotations";

export const CERBOS_DEFAULT_RULES: ResolvedRules = {
  taskId: [
    `${ANNOTATION}.task_id`,
    `${ANNOTATION}.taskId`,
    `${ANNOTATION}.task.id`,
    "principal.attr.task_id",
    "principal.attr.taskId",
    "principal.attr.delegation.task_id",
    `${ANNOTATION}.gen_ai.conversation.id`,
    "metadata.x-task-id",
    "auxData.jwt.task_id",
  ],
  txnId: [`${ANNOTATION}.txn`, "principal.attr.txn", "metadata.txn"],
  traceparent: ["metadata.traceparent", `${ANNOTATION}.traceparent`],
  traceId: [`${ANNOTATION}.trace_id`],
  spanId: [`${ANNOTATION}.span_id`],
  parentSpanId: [`${ANNOTATION}.parent_span_id`],
  baggage: ["metadata.baggage", `${ANNOTATION}.baggage`],
  tracestate: ["metadata.tracestate", `${ANNOTATION}.tracestate`],
  // Cerbos never logs `authorization`; a raw token here would only come from a custom metadata key.
  tokenPaths: [],
  txnTokenPaths: ["metadata.txn-token"],
  claimsPaths: ["auxData.jwt", "auxData.jwts"],
  tokenSha256Paths: ["metadata.txn-token-sha256", `${ANNOTATION}.token_sha256`],
  subjectId: ["principal.id"],
  onBehalfOf: [
    "principal.attr.on_behalf_of",
    "principal.attr.onBehalfOf",
    "principal.attr.delegation.on_behalf_of",
    `${ANNOTATION}.on_behalf_of`,
  ],
  delegationChain: [
    "principal.attr.delegation_chain",
    "principal.attr.delegationChain",
    "principal.attr.delegation.chain",
    `${ANNOTATION}.delegation_chain`,
  ],
  agentId: ["principal.attr.agent_id", "principal.attr.agentId", `${ANNOTATION}.agent_id`, "metadata.x-agent-id"],
  scopes: ["principal.attr.delegation.scopes"],
  audience: ["principal.attr.delegation.aud"],
  presenter: ["peer.authInfo", "peer.forwardedFor", "peer.address"],
  mcpMethod: [`${ANNOTATION}.mcp.method`, "resource.attr.mcp_method", "metadata.mcp-method"],
  mcpName: [`${ANNOTATION}.mcp.name`, "resource.attr.tool", "resource.attr.mcp_name", "metadata.mcp-name"],
  mcpServer: [`${ANNOTATION}.mcp.server`, "resource.attr.mcp_server", "resource.attr.mcpServer"],
  targetUri: ["resource.attr.uri", "resource.attr.url", "resource.attr.audience"],
};

// Envoy ext_authz, plain REST inputs, and OPA's own request_context capture.
const HEADER_MAPS = [
  "input.attributes.request.http.headers",
  "input.headers",
  "input.request.headers",
  "request_context.http.headers",
];
const header = (name: string): string[] => HEADER_MAPS.map((h) => `${h}.${name}`);

export const OPA_DEFAULT_RULES: ResolvedRules = {
  taskId: ["input.context.task_id", "input.task_id", "input.taskId", "input.subject.task_id", ...header("x-task-id")],
  txnId: ["input.txn", "input.context.txn"],
  traceparent: header("traceparent"),
  traceId: ["trace_id", ...header("x-b3-traceid")],
  spanId: ["span_id"],
  parentSpanId: ["input.context.parent_span_id"],
  baggage: header("baggage"),
  tracestate: header("tracestate"),
  tokenPaths: ["input.token", ...header("authorization"), "input.jwt", "input.access_token"],
  txnTokenPaths: [...header("txn-token"), "input.txn_token"],
  claimsPaths: ["input.token_claims", "input.claims"],
  tokenSha256Paths: ["input.token_sha256", "input.token_hash"],
  subjectId: ["input.subject.id", "input.principal.id", "input.user", "input.subject"],
  onBehalfOf: ["input.subject.on_behalf_of", "input.subject.onBehalfOf", "input.on_behalf_of", "input.principal.on_behalf_of"],
  delegationChain: [
    "input.subject.delegation_chain",
    "input.subject.delegationChain",
    "input.delegation_chain",
    "input.subject.chain",
  ],
  agentId: ["input.agent.id", "input.subject.agent_id", "input.agent_id"],
  scopes: ["input.subject.delegation.scopes"],
  audience: ["input.subject.delegation.aud"],
  presenter: ["input.attributes.source.principal", ...header("x-forwarded-client-cert"), "requested_by"],
  mcpMethod: [...header("mcp-method"), "input.mcp.method"],
  mcpName: [...header("mcp-name"), "input.mcp.name", "input.tool"],
  mcpServer: ["input.mcp.server"],
  targetUri: ["input.resource.uri", "input.attributes.request.http.host", ...header(":authority"), ...header("host")],
};

// Extraction runs per hop with the same few rule objects; resolve each once.
const resolvedCache = { cerbos: new WeakMap<ExtractionRules, ResolvedRules>(), opa: new WeakMap<ExtractionRules, ResolvedRules>() };

/** Engine defaults overlaid with the given rules; a list given replaces the default list. */
export function resolveRules(engine: "cerbos" | "opa", rules?: ExtractionRules): ResolvedRules {
  const base = engine === "cerbos" ? CERBOS_DEFAULT_RULES : OPA_DEFAULT_RULES;
  if (!rules) return base;
  const cached = resolvedCache[engine].get(rules);
  if (cached) return cached;
  const merged: ResolvedRules = { ...base };
  for (const [key, value] of Object.entries(rules) as Array<[keyof ExtractionRules, unknown]>) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  resolvedCache[engine].set(rules, merged);
  return merged;
}

function globMatches(pattern: string, value: string): boolean {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(value);
}

/**
 * Rules for one PDP instance: config.default, then the most specific matching source entry
 * (exact name beats globs; among globs the longest pattern wins) laid over it.
 */
export function rulesForSource(pdpInstance: string | null, config: ExtractionConfig = {}): ExtractionRules {
  const sources = config.sources ?? {};
  let chosen: ExtractionRules | undefined;
  if (pdpInstance !== null) {
    if (Object.hasOwn(sources, pdpInstance)) chosen = sources[pdpInstance];
    else {
      const globs = Object.keys(sources)
        .filter((p) => p.includes("*") && globMatches(p, pdpInstance))
        .sort((a, b) => b.length - a.length);
      if (globs.length) chosen = sources[globs[0]];
    }
  }
  return { ...(config.default ?? {}), ...(chosen ?? {}) };
}

const pathList = z.array(z.string().min(1)).optional();
const regexSource = z
  .string()
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, "must be a valid regular expression")
  .optional();

const rulesSchema = z.strictObject({
  taskId: pathList,
  txnId: pathList,
  traceparent: pathList,
  traceId: pathList,
  spanId: pathList,
  parentSpanId: pathList,
  baggage: pathList,
  tracestate: pathList,
  tokenPaths: pathList,
  txnTokenPaths: pathList,
  claimsPaths: pathList,
  tokenSha256Paths: pathList,
  subjectId: pathList,
  onBehalfOf: pathList,
  delegationChain: pathList,
  agentId: pathList,
  scopes: pathList,
  audience: pathList,
  presenter: pathList,
  mcpMethod: pathList,
  mcpName: pathList,
  mcpServer: pathList,
  targetUri: pathList,
  agentIdPattern: regexSource,
  humanIdPattern: regexSource,
});

export const extractionConfigSchema = z.strictObject({
  default: rulesSchema.optional(),
  sources: z.record(z.string(), rulesSchema).optional(),
});

/** Validates configuration read from a file; errors name the offending field. */
export function parseExtractionConfig(json: unknown): ExtractionConfig {
  const parsed = extractionConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`delegation extraction config: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}
