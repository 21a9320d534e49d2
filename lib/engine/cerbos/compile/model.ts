// The compiled form of a policy set: what the rule table is built from.
import type { JsonValue } from "../../types.ts";
import type { CelProgram } from "../cel/environment.ts";

export type Effect = "EFFECT_ALLOW" | "EFFECT_DENY";
export type ScopePermissions = "SCOPE_PERMISSIONS_OVERRIDE_PARENT" | "SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS";

export type CompiledCondition =
  | { kind: "expr"; program: CelProgram }
  | { kind: "all" | "any" | "none"; items: CompiledCondition[] };

export interface CompiledVariable {
  name: string;
  program: CelProgram;
}

/** Constants and (used, topologically ordered) variables of one policy. */
export interface CompiledParams {
  /** Unique per params set; keys the per-request variable cache. */
  id: number;
  constants: Record<string, unknown>;
  variables: CompiledVariable[];
}

export interface CompiledOutput {
  ruleActivated?: CelProgram;
  conditionNotMet?: CelProgram;
}

export interface CompiledDerivedRole {
  name: string;
  /** Parent roles; contains "*" alone when any role qualifies. */
  parentRoles: string[];
  condition?: CompiledCondition;
  params: CompiledParams;
  originFqn: string;
}

export interface SchemaRef {
  ref: string;
  ignoreActions: string[];
}

export interface CompiledSchemas {
  principal?: SchemaRef;
  resource?: SchemaRef;
}

export interface CompiledResourceRule {
  name: string;
  actions: string[];
  roles: string[];
  derivedRoles: string[];
  condition?: CompiledCondition;
  effect: Effect;
  output?: CompiledOutput;
}

export interface CompiledResourcePolicy {
  kind: "resource";
  fqn: string;
  file: string;
  resource: string;
  version: string;
  scope: string;
  scopePermissions: ScopePermissions;
  /** Imported derived roles referenced by some rule, by name. */
  derivedRoles: Map<string, CompiledDerivedRole>;
  rules: CompiledResourceRule[];
  params: CompiledParams;
  schemas?: CompiledSchemas;
}

export interface CompiledPrincipalActionRule {
  name: string;
  action: string;
  effect: Effect;
  condition?: CompiledCondition;
  output?: CompiledOutput;
}

export interface CompiledPrincipalPolicy {
  kind: "principal";
  fqn: string;
  file: string;
  principal: string;
  version: string;
  scope: string;
  scopePermissions: ScopePermissions;
  /** Resource glob → action rules; a repeated resource replaces the earlier one, as in Cerbos. */
  resourceRules: Map<string, CompiledPrincipalActionRule[]>;
  params: CompiledParams;
}

export interface CompiledRoleRule {
  name: string;
  resource: string;
  allowActions: string[];
  condition?: CompiledCondition;
  output?: CompiledOutput;
}

export interface CompiledRolePolicy {
  kind: "role";
  fqn: string;
  file: string;
  role: string;
  version: string;
  scope: string;
  parentRoles: string[];
  resources: Map<string, CompiledRoleRule[]>;
  params: CompiledParams;
}

export type CompiledPolicy = CompiledResourcePolicy | CompiledPrincipalPolicy | CompiledRolePolicy;

export interface CompiledPolicySetData {
  policies: CompiledPolicy[];
  /** JSON schemas by `cerbos:///` ref. */
  schemas: Map<string, JsonValue>;
}
