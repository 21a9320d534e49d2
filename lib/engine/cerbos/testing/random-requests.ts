// Seeded random CheckResources request bodies for differential testing: principals, roles,
// attributes (including missing and wrongly typed values), JWT aux data, several actions and
// resources per request.
import { SignJWT } from "jose";
import type { JsonValue } from "../../types.ts";
import type { CheckResourcesRequest } from "../http-api.ts";

export interface Vocabulary {
  kinds: string[];
  versions: string[];
  scopes: string[];
  roles: string[];
  actions: string[];
  principalIds: string[];
  attrKeys: string[];
  /** Values attributes draw from; mixing types on purpose. */
  values: JsonValue[];
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function makeTokens(count: number, rand: () => number): Promise<string[]> {
  const key = new TextEncoder().encode("differential-test-secret-not-verified");
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const aud = rand() < 0.5 ? ["cerbos-jwt-tests"] : rand() < 0.5 ? "cerbos-jwt-tests" : ["other"];
    const claims: Record<string, unknown> = { iss: rand() < 0.7 ? "cerbos" : "cerbos-test-suite", aud, customArray: rand() < 0.6 ? ["A", "B"] : ["C"], act: { sub: "agent-" + i } };
    if (rand() < 0.5) claims.department = rand() < 0.5 ? "marketing" : 42;
    tokens.push(await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject(`user-${i}`).setIssuedAt(1_700_000_000).setExpirationTime(32_503_680_000).sign(key));
  }
  return tokens;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function some<T>(rand: () => number, list: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(rand() * (max - min + 1));
  const out = new Set<T>();
  for (let i = 0; i < n * 3 && out.size < n; i++) out.add(pick(rand, list));
  return [...out];
}

function attrs(rand: () => number, v: Vocabulary, principalId: string): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const k of v.attrKeys) {
    if (rand() < 0.45) continue; // missing
    out[k] = k === "owner" && rand() < 0.6 ? principalId : pick(rand, v.values);
  }
  return out;
}

export function randomRequest(rand: () => number, v: Vocabulary, tokens: string[], n: number): CheckResourcesRequest {
  const principalId = pick(rand, v.principalIds);
  const req: CheckResourcesRequest = {
    requestId: `diff-${n}`,
    includeMeta: true,
    principal: {
      id: principalId,
      roles: some(rand, v.roles, 1, 3),
      attr: attrs(rand, v, principalId),
    },
    resources: [],
  };
  if (rand() < 0.4) req.principal.policyVersion = pick(rand, v.versions);
  if (rand() < 0.3) req.principal.scope = pick(rand, v.scopes);
  const count = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < count; i++) {
    const resource: CheckResourcesRequest["resources"][number]["resource"] = { kind: pick(rand, v.kinds), id: `r${n}-${i}`, attr: attrs(rand, v, principalId) };
    if (rand() < 0.5) resource.policyVersion = pick(rand, v.versions);
    if (rand() < 0.5) resource.scope = pick(rand, v.scopes);
    req.resources.push({ resource, actions: some(rand, v.actions, 1, 4) });
  }
  if (tokens.length && rand() < 0.5) req.auxData = { jwt: { token: pick(rand, tokens) } };
  return req;
}
