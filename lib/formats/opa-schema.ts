// zod schema for OPA's decision-log EventV1 (v1/plugins/logs/plugin.go). Loose: fields added by
// newer OPA versions (batch_decision_id, intermediate_results, custom, …) are kept as received.

import { z } from "zod";

export const opaEventSchema = z.looseObject({
  decision_id: z.string(),
  timestamp: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  path: z.string().optional(),
  query: z.string().optional(),
  revision: z.string().optional(),
  bundles: z.record(z.string(), z.looseObject({ revision: z.string().optional() })).optional(),
  input: z.unknown().optional(),
  result: z.unknown().optional(),
  error: z.unknown().optional(),
  req_id: z.number().optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  erased: z.array(z.string()).optional(),
  masked: z.array(z.string()).optional(),
});

export type OpaEvent = z.infer<typeof opaEventSchema>;
