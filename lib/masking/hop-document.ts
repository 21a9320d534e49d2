// The "hop document": the JSON shape the rules see for one indexed decision (a row of `hops` plus its
// `hop_delegation` facts), so one rule list covers records and every table built from hops (explorer
// cells, impact flips, evidence hops/timeline, the task hop panel). Paths:
//
//   principal.id  principal.roles.N  actingAgent  action  resource.kind  resource.id  pdp  requestId
//   recordKey  policy  initiatingHuman  actorChain.N  delegation.<DelegationFacts field>
//
// (DelegationFacts' `token` — issuer, audience, jti, times and a SHA-256, never the token itself — is
// named `delegation.tokenFacts` here, so the credential rule `**.token` does not hide those facts.)
// Pure: callers load the row; the reveal route rebuilds the same document to answer a pointer.
import { maskJson, type MaskedField, maskMarker, valueAtPointer } from "./mask.ts";
import type { RuleSet } from "./rules.ts";

export interface HopDocumentInput {
  principalId?: string | null;
  roles?: string[] | null;
  actingAgent?: string | null;
  action?: string | null;
  resourceKind?: string | null;
  resourceId?: string | null;
  pdpInstance?: string | null;
  requestId?: string | null;
  recordKey?: string | null;
  policy?: string | null;
  initiatingHuman?: string | null;
  actorChain?: string[] | null;
  /** hop_delegation.facts (DelegationFacts as stored). */
  facts?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function hopDocument(h: HopDocumentInput): Record<string, Json> {
  const doc: Record<string, Json> = {};
  const put = (key: string, v: Json | undefined) => {
    if (v !== undefined && v !== null) doc[key] = v;
  };
  if (h.principalId != null || h.roles != null) {
    const principal: Record<string, Json> = {};
    if (h.principalId != null) principal.id = h.principalId;
    if (h.roles != null) principal.roles = h.roles;
    doc.principal = principal;
  }
  put("actingAgent", h.actingAgent);
  put("action", h.action);
  if (h.resourceKind != null || h.resourceId != null) {
    const resource: Record<string, Json> = {};
    if (h.resourceKind != null) resource.kind = h.resourceKind;
    if (h.resourceId != null) resource.id = h.resourceId;
    doc.resource = resource;
  }
  put("pdp", h.pdpInstance);
  put("requestId", h.requestId);
  put("recordKey", h.recordKey);
  put("policy", h.policy);
  put("initiatingHuman", h.initiatingHuman);
  put("actorChain", h.actorChain ?? undefined);
  if (h.facts && typeof h.facts === "object" && !Array.isArray(h.facts)) {
    const { token, ...rest } = h.facts as Record<string, Json>;
    put("delegation", token === undefined ? rest : { ...rest, tokenFacts: token });
  }
  return doc;
}

/** Row fields of the usual hop-shaped rows and where they sit in the hop document. */
export const HOP_FIELD_POINTERS = {
  principalId: "/principal/id",
  actingAgent: "/actingAgent",
  action: "/action",
  resourceKind: "/resource/kind",
  resourceId: "/resource/id",
  pdpInstance: "/pdp",
  requestId: "/requestId",
  recordKey: "/recordKey",
  policy: "/policy",
  initiatingHuman: "/initiatingHuman",
} as const;
export type HopField = keyof typeof HOP_FIELD_POINTERS;

export interface MaskedCell {
  label: string;
  /** Pointer into the hop document (what /api/reveal takes with source "hop"). */
  pointer: string;
}

/**
 * Masks the hop-document fields of a hop-shaped row (any of principalId, actingAgent, action,
 * resourceKind, resourceId, pdpInstance, requestId, recordKey, policy, initiatingHuman, roles,
 * actorChain). Returns the row with masked fields replaced by markers and which fields were masked.
 */
export function maskHopRow<T extends Partial<Record<HopField, string | null>> & { roles?: string[] | null; actorChain?: string[] | null }>(
  row: T,
  rules: RuleSet,
): { row: T; masked: Record<string, MaskedCell> } {
  const { masked } = maskJson(hopDocument(row), rules);
  if (masked.length === 0) return { row, masked: {} };
  const out: Record<string, unknown> = { ...row };
  const cells: Record<string, MaskedCell> = {};
  const byPointer = new Map<string, MaskedField>(masked.map((m) => [m.pointer, m]));
  const coveredBy = (pointer: string): MaskedField | undefined => {
    // A rule may mask a parent (principal) rather than the leaf (principal.id).
    for (let p = pointer; p !== ""; p = p.slice(0, p.lastIndexOf("/"))) {
      const m = byPointer.get(p);
      if (m) return m;
    }
    return undefined;
  };
  for (const [field, pointer] of Object.entries(HOP_FIELD_POINTERS)) {
    if (!(field in row) || row[field as HopField] == null) continue;
    const m = coveredBy(pointer);
    if (m) {
      out[field] = maskMarker(m.label);
      cells[field] = { label: m.label, pointer };
    }
  }
  for (const [field, base] of [["roles", "/principal/roles"], ["actorChain", "/actorChain"]] as const) {
    const list = row[field];
    if (!Array.isArray(list)) continue;
    out[field] = list.map((v, i) => {
      const m = coveredBy(`${base}/${i}`);
      if (!m) return v;
      cells[`${field}.${i}`] = { label: m.label, pointer: `${base}/${i}` };
      return maskMarker(m.label);
    });
  }
  return { row: out as T, masked: cells };
}

/** The value at a pointer of a hop document (for the reveal route); undefined when there is none. */
export function hopDocumentValue(h: HopDocumentInput, pointer: string): unknown {
  return valueAtPointer(hopDocument(h), pointer);
}
