// The Cerbos HTTP API shapes (POST /api/check/resources): request bodies become CheckInputs,
// CheckOutputs become the response body, exactly as the real PDP shapes them.
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { z } from "zod";
import type { JsonValue } from "../types.ts";
import type { AuxData, CheckInput, CheckOutput, Effect, OutputEntry, ValidationError } from "./api-types.ts";

const json: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));
const attr = z.record(z.string(), json).optional();

export const checkResourcesRequestSchema = z.object({
  requestId: z.string().optional(),
  includeMeta: z.boolean().optional(),
  principal: z.object({
    id: z.string().min(1),
    policyVersion: z.string().optional(),
    roles: z.array(z.string()).min(1),
    attr,
    scope: z.string().optional(),
  }),
  resources: z
    .array(
      z.object({
        resource: z.object({ kind: z.string().min(1), id: z.string().min(1), policyVersion: z.string().optional(), attr, scope: z.string().optional() }),
        actions: z.array(z.string()).min(1),
      }),
    )
    .min(1),
  auxData: z
    .object({
      jwt: z.object({ token: z.string(), keySetId: z.string().optional() }).optional(),
      jwts: z.record(z.string(), z.object({ token: z.string(), keySetId: z.string().optional() })).optional(),
    })
    .optional(),
});

export type CheckResourcesRequest = z.infer<typeof checkResourcesRequestSchema>;

export interface CheckResourcesResultEntry {
  resource: { id: string; kind: string; policyVersion?: string; scope?: string };
  actions: Record<string, Effect>;
  validationErrors?: ValidationError[];
  meta?: { actions: Record<string, { matchedPolicy: string; matchedScope?: string }>; effectiveDerivedRoles?: string[] };
  outputs?: OutputEntry[];
}

export interface CheckResourcesResponse {
  requestId: string;
  results: CheckResourcesResultEntry[];
}

const TIME_CLAIMS = new Set(["exp", "iat", "nbf"]);

/** JWT claims as Cerbos exposes them: time claims as RFC 3339 strings, `aud` always a list. */
export function claimsFromToken(token: string): Record<string, JsonValue> {
  return normalizeClaims(decodeJwt(token) as Record<string, JsonValue>);
}

function normalizeClaims(claims: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (TIME_CLAIMS.has(k) && typeof v === "number") out[k] = new Date(v * 1000).toISOString().replace(/\.000Z$/, "Z");
    else if (k === "aud" && typeof v === "string") out[k] = [v];
    else out[k] = v;
  }
  return out;
}

function auxDataOf(req: CheckResourcesRequest): AuxData | undefined {
  if (!req.auxData) return undefined;
  const aux: AuxData = {};
  if (req.auxData.jwt?.token) aux.jwt = claimsFromToken(req.auxData.jwt.token);
  if (req.auxData.jwts) {
    aux.jwts = {};
    for (const [name, j] of Object.entries(req.auxData.jwts)) aux.jwts[name] = { claims: claimsFromToken(j.token) };
  }
  return aux;
}

/** One CheckInput per resource entry, each with a copy of principal and aux data (as Cerbos does). */
export function requestToInputs(req: CheckResourcesRequest): CheckInput[] {
  return inputsWith(req, auxDataOf(req));
}

/**
 * Like requestToInputs, but JWT signatures are verified against a JWKS (and exp/nbf checked at
 * `now`), as Cerbos does when key sets are configured. Rejects with the reason on failure.
 */
export async function requestToVerifiedInputs(req: CheckResourcesRequest, jwks: JSONWebKeySet, now: Date): Promise<CheckInput[]> {
  if (!req.auxData) return inputsWith(req, undefined);
  const keys = createLocalJWKSet(jwks);
  const verify = async (token: string) => normalizeClaims((await jwtVerify(token, keys, { currentDate: now })).payload as Record<string, JsonValue>);
  const aux: AuxData = {};
  if (req.auxData.jwt?.token) aux.jwt = await verify(req.auxData.jwt.token);
  if (req.auxData.jwts) {
    aux.jwts = {};
    for (const [name, j] of Object.entries(req.auxData.jwts)) aux.jwts[name] = { claims: await verify(j.token) };
  }
  return inputsWith(req, aux);
}

function inputsWith(req: CheckResourcesRequest, auxData: AuxData | undefined): CheckInput[] {
  return req.resources.map((r) => ({
    requestId: req.requestId ?? "",
    principal: { ...req.principal, attr: req.principal.attr ?? {} },
    resource: { ...r.resource, attr: r.resource.attr ?? {} },
    actions: r.actions,
    auxData,
  }));
}

export function outputsToResponse(req: CheckResourcesRequest, outputs: CheckOutput[]): CheckResourcesResponse {
  return {
    requestId: req.requestId ?? "",
    results: outputs.map((o, i) => {
      const r = req.resources[i]!.resource;
      const entry: CheckResourcesResultEntry = { resource: { id: r.id, kind: r.kind }, actions: {} };
      if (r.policyVersion) entry.resource.policyVersion = r.policyVersion;
      if (r.scope) entry.resource.scope = r.scope;
      for (const [a, e] of Object.entries(o.actions)) entry.actions[a] = e.effect;
      if (o.validationErrors.length) entry.validationErrors = o.validationErrors;
      if (req.includeMeta) {
        const actions: Record<string, { matchedPolicy: string; matchedScope?: string }> = {};
        for (const [a, e] of Object.entries(o.actions)) actions[a] = e.scope ? { matchedPolicy: e.policy, matchedScope: e.scope } : { matchedPolicy: e.policy };
        entry.meta = { actions };
        if (o.effectiveDerivedRoles.length) entry.meta.effectiveDerivedRoles = o.effectiveDerivedRoles;
      }
      if (o.outputs.length) entry.outputs = o.outputs;
      return entry;
    }),
  };
}

/** Validation messages that name the failing field. */
export function describeRequestError(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}
