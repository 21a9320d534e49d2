// Engine-neutral assembly of DelegationFacts from gathered sources, following the chain
// normalization rules of reference/delegation.md §1.9: token `act` first, then attribute chains,
// then client-as-actor (ID-JAG), then whoever the PDP was told the principal is.

import { flattenActClaim, readChainList, readMayAct } from "./act-chain.ts";
import { actorRef, classifierFor, isSpiffeId, type ActorClassifier } from "./actors.ts";
import type { GatheredSources, PathLabel } from "./gather.ts";
import { asObject, nonEmptyString, stringList } from "./paths.ts";
import type { ResolvedRules } from "./rules.ts";
import { audienceOf, pickTokens, scopesOf, tokenFacts, txnFacts, type ClaimSet } from "./tokens.ts";
import { BAGGAGE_TASK_KEYS, normalizeHexId, parseBaggage, parseTraceparent } from "./trace.ts";
import type { ActorRef, ActorSource, ChainCompleteness, ChainSource, DelegationFacts, Provenance, TargetFacts, TraceFacts, TxnFacts } from "./types.ts";

export interface AssemblyContext {
  gathered: GatheredSources;
  rules: ResolvedRules;
  label: PathLabel;
  /** Source kind for ids read from attribute/annotation paths of this engine. */
  attrSource: (path: string) => ActorSource;
  resourceKind: string | null;
  resourceId: string | null;
}

interface ChainResult {
  chain: ActorRef[];
  source: ChainSource;
  completeness: ChainCompleteness;
  provenance?: string;
}

/** XFCC `By=…;URI=spiffe://…`, a SPIFFE id, a forwarded-for list, or a peer address. */
export function readPresenter(value: unknown, path: string, classifier: ActorClassifier): ActorRef | null {
  const o = asObject(value);
  const text = o ? Object.values(o).find((v) => typeof v === "string" && v.includes("spiffe://")) : Array.isArray(value) ? value[0] : value;
  if (typeof text !== "string" || text.trim() === "") return null;
  const lowerPath = path.toLowerCase();
  if (/(^|;)\s*(by|uri|hash)=/i.test(text)) {
    // Each proxy appends an element; the last one describes the client of the nearest proxy.
    const elements = text.split(",");
    const uri = /(?:^|;)\s*uri=("?)([^;"]+)\1/i.exec(elements[elements.length - 1]);
    return uri ? actorRef(uri[2], "xfcc", "presenter", classifier) : null;
  }
  const spiffe = /spiffe:\/\/[^\s,;"]+/i.exec(text)?.[0];
  const source: ActorSource = lowerPath.includes("source.principal") ? "envoy.source.principal" : lowerPath.startsWith("peer") ? "peer" : "input";
  if (spiffe) return actorRef(spiffe, source, "presenter", classifier);
  // forwarded-for lists the original client first.
  const first = text.split(",")[0].trim();
  return first ? actorRef(first, source, "presenter", classifier) : null;
}

function actSource(sets: ClaimSet[], access: ClaimSet | null, txn: ClaimSet | null): ClaimSet | null {
  const ordered = [access, txn, ...sets].filter((s): s is ClaimSet => s !== null);
  return ordered.find((s) => s.claims.act !== undefined && s.claims.act !== null) ?? null;
}

function buildChain(ctx: AssemblyContext, cls: ActorClassifier, sets: ClaimSet[], access: ClaimSet | null, txn: ClaimSet | null,
  subject: ActorRef | null, human: ActorRef | null, principal: ActorRef | null, warnings: string[]): ChainResult {
  const g = ctx.gathered;
  const isHuman = (a: ActorRef) => (human ? a.id === human.id : cls.isHumanId(a.id) && !cls.isAgentId(a.id));
  const fromAct = actSource(sets, access, txn);
  const listed = g.delegationChain ? readChainList(g.delegationChain.value, cls, ctx.attrSource(g.delegationChain.path)) : [];
  const listedActors = listed.filter((a, i) => !(i === 0 && isHuman(a)) && a.id !== human?.id);
  if (fromAct) {
    const read = flattenActClaim(fromAct.claims.act, cls);
    warnings.push(...read.warnings);
    let completeness: ChainCompleteness = read.completeness;
    if (listedActors.length && listedActors.map((a) => a.id).join(">") !== read.actors.map((a) => a.id).join(">")) {
      warnings.push(
        `token act chain [${read.actors.map((a) => a.id).join(", ")}] disagrees with ${ctx.label(g.delegationChain!.path)} [${listedActors.map((a) => a.id).join(", ")}]`,
      );
      completeness = "partial";
    }
    return { chain: read.actors, source: "act", completeness, provenance: `${fromAct.label}.act` };
  }
  const agentId = g.agentId ? actorRef(g.agentId.value, ctx.attrSource(g.agentId.path), "actor", cls) : null;
  if (listedActors.length) {
    const chain = [...listedActors];
    const current = agentId ?? (principal && !isHuman(principal) ? principal : null);
    if (current && chain[chain.length - 1].id !== current.id && !chain.some((a) => a.id === current.id)) chain.push(current);
    return { chain, source: "delegation_chain", completeness: "full", provenance: ctx.label(g.delegationChain!.path) };
  }
  if (g.onBehalfOf && principal && principal.id !== g.onBehalfOf.value) {
    return { chain: [{ ...principal, kind: principal.kind === "human" ? "agent" : principal.kind }], source: "on_behalf_of", completeness: "full", provenance: ctx.label(g.onBehalfOf.path) };
  }
  const claims = access?.claims;
  const clientId = nonEmptyString(claims?.client_id) ?? nonEmptyString(claims?.azp);
  if (access && clientId && subject && subject.kind === "human" && clientId !== subject.id) {
    const source: ActorSource = nonEmptyString(claims?.client_id) ? "jwt.client_id" : "jwt.azp";
    return { chain: [actorRef(clientId, source, "client", cls, { iss: claims?.iss })], source: "client", completeness: "full", provenance: `${access.label}.${source.slice(4)}` };
  }
  if (subject && subject.source === "jwt.sub" && subject.kind !== "human") {
    return { chain: [subject], source: "subject", completeness: "none", provenance: `${access!.label}.sub` };
  }
  if (agentId && agentId.id !== human?.id) return { chain: [agentId], source: "principal", completeness: "none", provenance: ctx.label(g.agentId!.path) };
  if (principal && principal.id !== human?.id) return { chain: [principal], source: "principal", completeness: "none", provenance: ctx.label(g.principalId!.path) };
  return { chain: [], source: "none", completeness: "none" };
}

function traceFacts(g: GatheredSources, label: PathLabel, prov: Provenance): TraceFacts {
  const tp = parseTraceparent(g.traceparent?.value ?? null);
  const baggage = parseBaggage(g.baggage?.value ?? null);
  const ownSpan = normalizeHexId(g.spanId?.value ?? null, 16);
  const explicitParent = normalizeHexId(g.parentSpanId?.value ?? null, 16);
  const traceId = normalizeHexId(g.traceId?.value ?? null, 32) ?? tp?.traceId ?? null;
  if (traceId) prov["trace.traceId"] = g.traceId && normalizeHexId(g.traceId.value, 32) ? label(g.traceId.path) : label(g.traceparent!.path);
  let spanId: string | null;
  let parentSpanId: string | null;
  if (ownSpan) {
    // The PDP logged its own span; the incoming traceparent names the caller, i.e. the parent.
    spanId = ownSpan;
    prov["trace.spanId"] = label(g.spanId!.path);
    // Only when the header belongs to the same trace: a PDP that started its own trace says nothing about the caller's.
    parentSpanId = explicitParent ?? (tp && tp.traceId === traceId ? tp.parentId : null);
    if (parentSpanId) prov["trace.parentSpanId"] = explicitParent ? label(g.parentSpanId!.path) : label(g.traceparent!.path);
  } else {
    // Only the request's traceparent: its span is the one this decision happened in.
    spanId = tp?.parentId ?? null;
    if (spanId) prov["trace.spanId"] = label(g.traceparent!.path);
    parentSpanId = explicitParent ?? normalizeHexId(baggage.parent_span_id ?? null, 16);
    if (parentSpanId) prov["trace.parentSpanId"] = explicitParent ? label(g.parentSpanId!.path) : `${label(g.baggage!.path)}.parent_span_id`;
  }
  if (g.baggage && Object.keys(baggage).length) prov["trace.baggage"] = label(g.baggage.path);
  if (g.tracestate) prov["trace.tracestate"] = label(g.tracestate.path);
  return { traceId, spanId, parentSpanId, baggage, tracestate: g.tracestate?.value ?? null };
}

function targetFacts(ctx: AssemblyContext, prov: Provenance): TargetFacts {
  const g = ctx.gathered;
  const note = (field: "target.tool" | "target.mcpServer" | "target.mcpMethod" | "target.uri", found: { path: string } | null) => {
    if (found) prov[field] = ctx.label(found.path);
  };
  note("target.tool", g.mcpName);
  note("target.mcpMethod", g.mcpMethod);
  note("target.uri", g.targetUri);
  const isMcp = g.mcpMethod !== null || g.mcpName !== null;
  // Behind a gateway the MCP server is the HTTP host the call went to.
  const mcpServer = g.mcpServer ?? (isMcp ? g.targetUri : null);
  note("target.mcpServer", mcpServer);
  return {
    kind: ctx.resourceKind,
    id: ctx.resourceId,
    tool: g.mcpName?.value ?? null,
    mcpServer: mcpServer?.value ?? null,
    mcpMethod: g.mcpMethod?.value ?? null,
    uri: g.targetUri?.value ?? null,
  };
}

function txnOf(sets: ClaimSet[], txnSet: ClaimSet | null, ctx: AssemblyContext, prov: Provenance): TxnFacts | null {
  const carrier = txnSet ?? sets.find((s) => typeof s.claims.txn === "string" && s.claims.txn !== "") ?? null;
  const fromToken = carrier ? txnFacts(carrier) : null;
  if (fromToken && carrier) {
    prov.txn = `${carrier.label}.txn`;
    if (fromToken.reqWl.length) prov["txn.reqWl"] = `${carrier.label}.${Object.hasOwn(carrier.claims, "req_wl") ? "req_wl" : "rctx.req_wl"}`;
    return fromToken;
  }
  const id = ctx.gathered.txnId;
  if (!id) return null;
  prov.txn = ctx.label(id.path);
  return { txn: id.value, reqWl: [], draftGen: "unknown", purpose: null, tokenSha256: null };
}

export function assembleFacts(ctx: AssemblyContext): DelegationFacts {
  const g = ctx.gathered;
  const cls = classifierFor(ctx.rules);
  const prov: Provenance = {};
  const warnings = [...g.warnings];
  const { access, txn: txnSet } = pickTokens(g.claimSets);
  const primary = access ?? txnSet;
  const claims = primary?.claims;

  const principal = g.principalId ? actorRef(g.principalId.value, ctx.attrSource(g.principalId.path), "principal", cls) : null;
  if (principal) prov.principal = ctx.label(g.principalId!.path);
  const sub = nonEmptyString(claims?.sub);
  let subject: ActorRef | null = null;
  if (sub && primary) {
    subject = actorRef(sub, "jwt.sub", "subject", cls, { iss: claims?.iss });
    prov.subject = `${primary.label}.sub`;
  } else if (principal) {
    subject = principal;
    prov.subject = ctx.label(g.principalId!.path);
  }

  // A human token subject is the root; without one, an explicit on_behalf_of or the head of a
  // delegation chain outranks the principal (who may be a delegate acting for someone).
  let human: ActorRef | null = null;
  const chainHead = g.delegationChain ? readChainList(g.delegationChain.value, cls, ctx.attrSource(g.delegationChain.path))[0] : undefined;
  if (sub && subject?.kind === "human") {
    human = subject;
    prov.initiatingHuman = prov.subject;
  } else if (!sub && g.onBehalfOf && cls.isHumanId(g.onBehalfOf.value) && !isSpiffeId(g.onBehalfOf.value)) {
    human = actorRef(g.onBehalfOf.value, ctx.attrSource(g.onBehalfOf.path), "subject", cls);
    prov.initiatingHuman = ctx.label(g.onBehalfOf.path);
  } else if (!sub && chainHead && cls.isHumanId(chainHead.id)) {
    human = { ...chainHead, kind: "human" };
    prov.initiatingHuman = ctx.label(g.delegationChain!.path);
  } else if (subject?.kind === "human") {
    human = subject;
    prov.initiatingHuman = prov.subject;
  }

  const built = buildChain(ctx, cls, g.claimSets, access, txnSet, subject, human, principal, warnings);
  if (built.provenance) prov.actorChain = built.provenance;
  const actingAgent: ActorRef = built.chain[built.chain.length - 1] ?? human ?? subject ?? { id: "unknown", kind: "unknown", source: "input" };
  prov.actingAgent = built.chain.length ? prov.actorChain : prov.initiatingHuman ?? prov.subject;

  const mayActClaim = claims?.may_act;
  const mayAct = mayActClaim !== undefined && mayActClaim !== null ? readMayAct(mayActClaim, cls) : null;
  if (mayAct && primary) prov.mayAct = `${primary.label}.may_act`;

  const presenter = g.presenter ? readPresenter(g.presenter.value, g.presenter.path, cls) : null;
  if (presenter) prov.presenter = ctx.label(g.presenter!.path);

  // Audience and scopes come from the access token: a Txn-Token's aud is a trust domain, not a resource.
  let audience = access ? audienceOf(access.claims) : [];
  if (audience.length && access) prov.audience = `${access.label}.aud`;
  else if (g.audience) {
    audience = stringList(g.audience.value);
    if (audience.length) prov.audience = ctx.label(g.audience.path);
  }
  let delegatedScopes = access ? scopesOf(access.claims) : [];
  if (delegatedScopes.length && access) prov.delegatedScopes = `${access.label}.${stringList(access.claims.scope).length ? "scope" : "scp"}`;
  else if (g.scopes && stringList(g.scopes.value).length) {
    delegatedScopes = stringList(g.scopes.value);
    prov.delegatedScopes = ctx.label(g.scopes.path);
  } else if (txnSet) {
    delegatedScopes = scopesOf(txnSet.claims).length ? scopesOf(txnSet.claims) : stringList(txnSet.claims.purp);
    if (delegatedScopes.length) prov.delegatedScopes = `${txnSet.label}.${Object.hasOwn(txnSet.claims, "purp") ? "purp" : "scope"}`;
  }

  const token = primary ? tokenFacts(primary, g.tokenSha256?.value ?? null) : null;
  if (primary) prov.token = primary.label;
  const txn = txnOf(g.claimSets, txnSet, ctx, prov);
  const trace = traceFacts(g, ctx.label, prov);

  let taskId = g.taskId?.value ?? null;
  if (taskId) prov.taskId = ctx.label(g.taskId!.path);
  else {
    const key = BAGGAGE_TASK_KEYS.find((k) => trace.baggage[k]);
    if (key) {
      taskId = trace.baggage[key];
      prov.taskId = `${prov["trace.baggage"]}.${key}`;
    }
  }

  // Correlation keys are indexed (and task keys are primary keys): a value past what a b-tree entry can
  // hold would fail every later derivation pass, so an over-long one is not used for grouping.
  taskId = usableKey(taskId, "task id", warnings);
  const usableTxn = txn && usableKey(txn.txn, "txn", warnings) !== null ? txn : null;
  if (trace.traceId !== null) trace.traceId = usableKey(trace.traceId, "trace id", warnings);
  const usableHuman = human && usableKey(human.id, "initiating human id", warnings) !== null ? human : null;

  return {
    initiatingHuman: usableHuman,
    actingAgent,
    actorChain: built.chain,
    chainCompleteness: built.completeness,
    chainSource: built.source,
    subject,
    principal,
    mayAct,
    presenter,
    audience,
    delegatedScopes,
    token,
    txn: usableTxn,
    trace,
    taskId,
    target: targetFacts(ctx, prov),
    provenance: prov,
    warnings,
  };
}

/** Longest correlation key (UTF-8 bytes) used for grouping; Postgres b-tree entries stop near 2.7 KB. */
export const MAX_CORRELATION_KEY_BYTES = 512;

function usableKey(value: string | null, what: string, warnings: string[]): string | null {
  if (value === null) return null;
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes <= MAX_CORRELATION_KEY_BYTES) return value;
  warnings.push(`${what} is ${bytes} bytes, longer than the ${MAX_CORRELATION_KEY_BYTES} a correlation key may be: not used to group this hop`);
  return null;
}
