// The embedded Cerbos engine. See docs/engine.md.
export { cerbosEngine, CerbosPolicySet, compileCerbosDirectory, compileCerbosPolicies, type CerbosCompileOutcome } from "./engine.ts";
export { loadPolicyDirectory, type PolicySources, type PolicySourceFile } from "./policy-loader.ts";
export * from "./api-types.ts";
