// OPA EventV1 → one hop. OPA's `result` is arbitrary JSON, so allow/deny is mapped the way Styra
// DAS decision mappings do by default (boolean result, or a boolean allow-like field); anything
// else is 'unknown' rather than a guess. Field lookups follow common input conventions
// (subject/principal, resource, Envoy attributes.request.http).

import { effectUnderMapping, mappingFor } from "./opa-decision-mappings.ts";
import { currentActorOf, decodeJwtClaims } from "./jwt-claims.ts";
import type { OpaEvent } from "./opa-schema.ts";
import type { Effect, HopFields } from "./types.ts";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function opaEffect(event: Pick<OpaEvent, "result" | "error"> & { path?: unknown }): Effect {
  if (event.error !== undefined && event.error !== null) return "error";
  const result = event.result;
  const mapping = mappingFor(typeof event.path === "string" ? event.path : undefined);
  if (mapping) return effectUnderMapping(result, mapping);
  if (result === true || result === "true") return "allow";
  if (result === false || result === "false") return "deny";
  const fields = obj(result);
  if (fields) {
    for (const key of ["allow", "allowed", "allow_request"]) {
      if (typeof fields[key] === "boolean") return fields[key] ? "allow" : "deny";
    }
    if (fields.deny === true) return "deny";
  }
  return "unknown";
}

function lastSegment(path: string): string | undefined {
  const segments = path.split("/").filter(Boolean);
  return segments[segments.length - 1];
}

/** "name=rev" per bundle, sorted by name; legacy single-bundle `revision` otherwise. */
export function opaPolicySourceRef(event: Pick<OpaEvent, "bundles" | "revision">): string | null {
  const bundles = event.bundles;
  if (bundles) {
    const pairs = Object.keys(bundles)
      .sort()
      .filter((name) => bundles[name]?.revision)
      .map((name) => `${name}=${bundles[name].revision}`);
    if (pairs.length) return pairs.join(",");
  }
  return str(event.revision) ?? null;
}

function requestHttp(input: Obj | undefined): Obj | undefined {
  return obj(obj(obj(input?.attributes)?.request)?.http);
}

/** The bearer token the caller presented, from `input.token` or an Envoy authorization header. */
function tokenClaims(input: Obj | undefined): Obj | null {
  const fromInput = decodeJwtClaims(input?.token);
  if (fromInput) return fromInput;
  const headers = obj(requestHttp(input)?.headers);
  return decodeJwtClaims(headers?.authorization);
}

export function opaHop(event: OpaEvent): HopFields {
  const input = obj(event.input);
  const subject = obj(input?.subject);
  const principal = obj(input?.principal);
  const resource = obj(input?.resource);
  const http = requestHttp(input);
  const claims = tokenClaims(input);
  const path = str(event.path);
  const inputPath = Array.isArray(input?.path) ? input.path.map(String).join("/") : str(input?.path);
  const subjectId = str(subject?.id);
  const roles = subject?.roles ?? principal?.roles;
  return {
    inputIndex: 0,
    action: str(input?.action) ?? str(input?.method) ?? str(http?.method) ?? (path ? lastSegment(path) : undefined) ?? (path ?? "query"),
    effect: opaEffect(event),
    principalId: subjectId ?? str(principal?.id) ?? str(input?.user) ?? str(input?.subject) ?? str(claims?.sub) ?? null,
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [],
    actingAgent: currentActorOf(claims) ?? (subject && "on_behalf_of" in subject ? subjectId : undefined) ?? str(obj(input?.agent)?.id) ?? null,
    resourceKind: str(resource?.kind) ?? str(resource?.type) ?? path ?? null,
    resourceId: str(resource?.id) ?? inputPath ?? str(http?.path) ?? null,
    policy: path ?? str(event.query) ?? null,
    scope: null,
    policyVersion: null,
    policySourceRef: opaPolicySourceRef(event),
    derivedRoles: [],
    requestId: event.req_id !== undefined ? String(event.req_id) : null,
    method: path ? "data" : "query",
  };
}
