// zod schemas for the parts of Cerbos audit entries that hops are built from (cerbos.audit.v1,
// cerbos.engine.v1). Every field is optional where protojson may omit it (zero values are omitted,
// hub masks delete fields), and every object is loose: unknown fields are allowed and kept.

import { z } from "zod";

const jsonMap = z.record(z.string(), z.unknown());

const principal = z.looseObject({
  id: z.string().optional(),
  roles: z.array(z.string()).optional(),
  attr: jsonMap.optional(),
  policyVersion: z.string().optional(),
  scope: z.string().optional(),
});

const resource = z.looseObject({
  kind: z.string().optional(),
  id: z.string().optional(),
  attr: jsonMap.optional(),
  policyVersion: z.string().optional(),
  scope: z.string().optional(),
});

const auxData = z.looseObject({
  jwt: jsonMap.optional(),
  // Since 0.55: several named tokens, each {claims}.
  jwts: z.record(z.string(), z.looseObject({ claims: jsonMap.optional() })).optional(),
});

export const checkInputSchema = z.looseObject({
  requestId: z.string().optional(),
  resource: resource.optional(),
  principal: principal.optional(),
  actions: z.array(z.string()).optional(),
  auxData: auxData.optional(),
});

const actionEffect = z.looseObject({
  effect: z.string().optional(),
  policy: z.string().optional(),
  scope: z.string().optional(),
});

export const checkOutputSchema = z.looseObject({
  requestId: z.string().optional(),
  resourceId: z.string().optional(),
  actions: z.record(z.string(), actionEffect).optional(),
  effectiveDerivedRoles: z.array(z.string()).optional(),
  validationErrors: z.array(z.unknown()).optional(),
  outputs: z.array(z.unknown()).optional(),
  evaluationErrors: z.array(z.unknown()).optional(),
});

const checkResources = z.looseObject({
  inputs: z.array(checkInputSchema).optional(),
  outputs: z.array(checkOutputSchema).optional(),
  error: z.string().optional(),
});

const planResources = z.looseObject({
  input: z
    .looseObject({
      requestId: z.string().optional(),
      action: z.string().optional(),
      actions: z.array(z.string()).optional(),
      principal: principal.optional(),
      resource: resource.optional(),
      auxData: auxData.optional(),
    })
    .optional(),
  output: z
    .looseObject({
      requestId: z.string().optional(),
      action: z.string().optional(),
      actions: z.array(z.string()).optional(),
      kind: z.string().optional(),
      policyVersion: z.string().optional(),
      scope: z.string().optional(),
      filter: z.looseObject({ kind: z.string().optional() }).optional(),
      matchedScopes: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  error: z.string().optional(),
});

const bundleRef = z.looseObject({ bundleId: z.string().optional() });

const policySource = z.looseObject({
  git: z.looseObject({ hash: z.string().optional() }).optional(),
  hub: z
    .looseObject({
      remoteBundle: bundleRef.optional(),
      localBundle: bundleRef.optional(),
      embeddedBundle: bundleRef.optional(),
    })
    .optional(),
  embeddedPdp: z.looseObject({ commitHash: z.string().optional() }).optional(),
});

const requestContext = z.looseObject({ annotations: jsonMap.optional() });

const common = {
  callId: z.string(),
  timestamp: z.string(),
  policySource: policySource.optional(),
  requestContext: requestContext.optional(),
  peer: jsonMap.optional(),
  metadata: z.record(z.string(), z.looseObject({ values: z.array(z.string()).optional() })).optional(),
};

export const decisionEntrySchema = z.looseObject({
  ...common,
  checkResources: checkResources.optional(),
  planResources: planResources.optional(),
  // Pre-0.18 entries carried CheckResources data at the top level.
  inputs: z.array(checkInputSchema).optional(),
  outputs: z.array(checkOutputSchema).optional(),
  error: z.string().optional(),
  auditTrail: z
    .looseObject({
      effectivePolicies: z.record(z.string(), z.looseObject({ attributes: jsonMap.optional() })).optional(),
    })
    .optional(),
  oversized: z.boolean().optional(),
});

export const accessEntrySchema = z.looseObject({
  ...common,
  method: z.string().optional(),
  statusCode: z.number().optional(),
  oversized: z.boolean().optional(),
});

export type DecisionEntry = z.infer<typeof decisionEntrySchema>;
export type CheckInput = z.infer<typeof checkInputSchema>;
export type CheckOutput = z.infer<typeof checkOutputSchema>;
