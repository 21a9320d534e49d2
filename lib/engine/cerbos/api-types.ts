// Cerbos engine input/output shapes (cerbos.engine.v1 CheckInput / CheckOutput, JSON names).
import type { JsonValue } from "../types.ts";

export type Attributes = Record<string, JsonValue>;

export interface CheckPrincipal {
  id: string;
  policyVersion?: string;
  roles: string[];
  attr?: Attributes;
  scope?: string;
}

export interface CheckResource {
  kind: string;
  id: string;
  policyVersion?: string;
  attr?: Attributes;
  scope?: string;
}

/** Decoded aux data: JWT claims (a single `jwt`, or named `jwts` since 0.55). */
export interface AuxData {
  jwt?: Record<string, JsonValue>;
  jwts?: Record<string, { claims?: Record<string, JsonValue> }>;
}

export interface CheckInput {
  requestId?: string;
  principal: CheckPrincipal;
  resource: CheckResource;
  actions: string[];
  auxData?: AuxData;
}

export type Effect = "EFFECT_ALLOW" | "EFFECT_DENY";

export interface ActionEffect {
  effect: Effect;
  policy: string;
  scope?: string;
}

export interface OutputEntry {
  src: string;
  val?: JsonValue;
  action: string;
  error?: string;
}

export interface ValidationError {
  path: string;
  message: string;
  source: "SOURCE_PRINCIPAL" | "SOURCE_RESOURCE";
}

export interface EvaluationError {
  celError: { expression: string; message: string };
}

export interface CheckOutput {
  requestId: string;
  resourceId: string;
  actions: Record<string, ActionEffect>;
  effectiveDerivedRoles: string[];
  validationErrors: ValidationError[];
  outputs: OutputEntry[];
  evaluationErrors: EvaluationError[];
  /** Present only when evaluation was asked to explain itself. */
  explanation?: Explanation;
}

/** Why each action got its effect; produced only when evaluation is asked to explain. */
export interface Explanation {
  actions: Record<string, ActionExplanation>;
  /** Derived roles evaluated per scope, with their outcome. */
  derivedRoles: DerivedRoleTrace[];
  /** Variables evaluated, with their value or error. */
  variables: VariableTrace[];
}

export interface ActionExplanation {
  effect: Effect;
  policy: string;
  scope: string;
  /** `<policyKey>#<rule>` of the rule that decided, when a rule decided. */
  rule?: string;
  /** Every rule row consulted, in evaluation order. */
  rules: RuleTrace[];
}

export interface RuleTrace {
  /** `<policyKey>#<rule>`; synthetic role-policy DENYs name the role policy. */
  rule: string;
  policyType: "principal" | "resource";
  scope: string;
  role: string;
  derivedRole?: string;
  effect?: Effect;
  /** activated: condition true; notMet: false; error: evaluation error; skipped: derived role inactive. */
  outcome: "activated" | "notMet" | "error" | "skipped";
  /** true when the outcome came from the per-request condition cache. */
  cached?: boolean;
  conditions: ExprTrace[];
}

export interface ExprTrace {
  expression: string;
  value?: JsonValue;
  error?: string;
}

export interface DerivedRoleTrace {
  scope: string;
  name: string;
  active: boolean;
  /** Strict mode: the condition's error made the role unknown. */
  error?: string;
  /** The role's condition expressions with their values or errors. */
  conditions?: ExprTrace[];
}

export interface VariableTrace {
  name: string;
  expression: string;
  value?: JsonValue;
  error?: string;
}

/** Engine settings that Cerbos keeps in its configuration (none of them is logged). */
export interface EngineConfig {
  defaultPolicyVersion: string;
  defaultScope: string;
  lenientScopeSearch: boolean;
  strictEvaluation: boolean;
  globals: Record<string, JsonValue>;
  schemaEnforcement: "none" | "warn" | "reject";
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  defaultPolicyVersion: "default",
  defaultScope: "",
  lenientScopeSearch: false,
  strictEvaluation: false,
  globals: {},
  schemaEnforcement: "none",
};
