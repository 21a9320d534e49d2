// lib/delegation: who acted for whom in each decision (extraction), which decisions form one task
// (correlation), and what looks wrong (flags). Pure library: no database, no I/O.

export * from "./types.ts";
export { extractDelegation, extractRecordDelegation } from "./extract.ts";
export { rulesForSource, resolveRules, parseExtractionConfig, extractionConfigSchema, CERBOS_DEFAULT_RULES, OPA_DEFAULT_RULES } from "./rules.ts";
export type { ResolvedRules } from "./rules.ts";
export { classifierFor, classifyActor, isSpiffeId, sameActor, presenterMatchesActor } from "./actors.ts";
export { correlateTasks, byDecisionTime, timeWindowConfidence, EVIDENCE_CONFIDENCE, DEFAULT_TIME_WINDOW_MS } from "./correlate.ts";
export { flagHops, audienceCovers } from "./flags.ts";
