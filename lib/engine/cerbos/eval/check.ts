// One CheckInput against the rule table, following Cerbos's check algorithm
// (internal/ruletable/check.go): principal policies first, then resource policies; per role,
// scopes leaf → root; DENY beats ALLOW within a role, any role's ALLOW wins across roles.
import type { ActionEffect, ActionExplanation, CheckInput, CheckOutput, DerivedRoleTrace, Effect, OutputEntry, RuleTrace } from "../api-types.ts";
import type { EngineConfig } from "../api-types.ts";
import { CelEvalError } from "../cel/environment.ts";
import { celToJson } from "../cel/values.ts";
import type { CelProgram } from "../cel/environment.ts";
import { normalizeScope, policyKey, resourcePolicyFqn, sanitize } from "../compile/naming.ts";
import type { CompiledParams } from "../compile/model.ts";
import type { RuleTable } from "../index/rule-table.ts";
import type { PolicyKind, Row } from "../index/rows.ts";
import { EvalContext, StrictEvaluationError } from "./eval-context.ts";
import { validateInput } from "./schema-check.ts";
import type { SchemaValidator } from "./schema-validator.ts";

const NO_MATCH = "NO_MATCH";
const NO_MATCH_FOR_SCOPE_PERMISSIONS = "NO_MATCH_FOR_SCOPE_PERMISSIONS";

type InternalEffect = Effect | "NO_MATCH";

interface EffectInfo {
  effect: InternalEffect;
  policy: string;
  scope: string;
}

interface ScopedDerivedRoles {
  roles: Set<string>;
  errRoles: string[];
  /** The `runtime` CEL value for this scope, built on first use. */
  runtime?: unknown;
}

const POLICY_TYPES: PolicyKind[] = ["principal", "resource"];
const NO_VALUES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export function checkInput(table: RuleTable, validator: SchemaValidator, config: EngineConfig, input: CheckInput, explain: boolean): CheckOutput {
  const principalScope = normalizeScope(input.principal.scope || config.defaultScope);
  const principalVersion = input.principal.policyVersion || config.defaultPolicyVersion;
  const resourceScope = normalizeScope(input.resource.scope || config.defaultScope);
  const resourceVersion = input.resource.policyVersion || config.defaultPolicyVersion;
  const actions = [...new Set(input.actions)];

  const output: CheckOutput = {
    requestId: input.requestId ?? "",
    resourceId: input.resource.id ?? "",
    actions: {},
    effectiveDerivedRoles: [],
    validationErrors: [],
    outputs: [],
    evaluationErrors: [],
  };
  const effects = new Map<string, EffectInfo>();
  const explanations: Record<string, ActionExplanation> | undefined = explain ? {} : undefined;
  const drTraces: DerivedRoleTrace[] | undefined = explain ? [] : undefined;
  const effective = new Set<string>();

  const finish = (ctx?: EvalContext): CheckOutput => {
    for (const a of input.actions) {
      const e = effects.get(a);
      const ae: ActionEffect = { effect: e && e.effect !== NO_MATCH ? e.effect : "EFFECT_DENY", policy: e?.policy || NO_MATCH };
      if (e?.scope) ae.scope = e.scope;
      output.actions[a] = ae;
      if (explanations && !explanations[a]) explanations[a] = { effect: ae.effect, policy: ae.policy, scope: ae.scope ?? "", rules: [] };
    }
    output.effectiveDerivedRoles = [...effective];
    if (ctx) output.evaluationErrors = ctx.evaluationErrors();
    if (explanations) output.explanation = { actions: explanations, derivedRoles: drTraces ?? [], variables: ctx?.variableTraces ?? [] };
    return output;
  };

  const principal = table.allScopes("principal", principalScope, String(input.principal.id ?? ""), String(principalVersion), config.lenientScopeSearch);
  const resource = table.allScopes("resource", resourceScope, String(input.resource.kind ?? ""), String(resourceVersion), config.lenientScopeSearch);
  if (principal.scopes.length === 0 && resource.scopes.length === 0) return finish();

  const schemas = resource.fqn ? table.schemasFor(resource.fqn) : undefined;
  if (schemas && config.schemaEnforcement !== "none") {
    output.validationErrors = validateInput(validator, schemas, input);
    if (output.validationErrors.length > 0 && config.schemaEnforcement === "reject") {
      for (const a of actions) effects.set(a, { effect: "EFFECT_DENY", policy: resource.policyKey, scope: "" });
      return finish();
    }
  }

  const ctx = new EvalContext(input, config.globals, config.strictEvaluation, explain);
  const kind = sanitize(input.resource.kind);
  const scopedPrincipalExists = table.scopedPrincipalExists(principalVersion, principal.scopes);
  const scopedResourceExists = table.scopedResourceExists(resourceVersion, kind, resource.scopes);
  if (!scopedPrincipalExists && !scopedResourceExists) return finish(ctx);

  const allRoles = new Set(table.rolesWithParents(resourceScope, input.principal.roles));
  const principalPrefix = table.queryPrefix("principal", resourceVersion, kind, resourceScope, input.principal.id);
  const resourcePrefix = table.queryPrefix("resource", resourceVersion, kind, resourceScope, "");
  const varCache = new Map<number, Record<string, unknown>>();
  const conditionCache = new Map<string, boolean>();
  const scopedDerivedRoles = new Map<string, ScopedDerivedRoles>();
  // Variables are evaluated once per policy and request. Derived-role checks cache under the
  // negated id because Cerbos keeps a separate cache (with errors kept as null) for them.
  const variablesOf = (params: CompiledParams, forDerivedRoleCheck: boolean): Record<string, unknown> => {
    const id = forDerivedRoleCheck ? -params.id : params.id;
    let v = varCache.get(id);
    if (!v) varCache.set(id, (v = ctx.evaluateVariables(params, forDerivedRoleCheck)));
    return v;
  };

  const derivedRolesAt = (scope: string): ScopedDerivedRoles => {
    let sdr = scopedDerivedRoles.get(scope);
    if (sdr) return sdr;
    sdr = { roles: new Set(), errRoles: [] };
    const drs = table.derivedRolesOf(resourcePolicyFqn(input.resource.kind, resourceVersion, scope));
    for (const [name, dr] of drs ?? []) {
      if (!dr.parentRoles.some((p) => p === "*" || allRoles.has(p))) continue;
      const vars = variablesOf(dr.params, true);
      const conditions = drTraces ? [] : undefined;
      const saved = ctx.exprTrace;
      ctx.exprTrace = conditions;
      try {
        const ok = ctx.satisfies(dr.condition, dr.params.constants, vars);
        if (ok) {
          sdr.roles.add(name);
          effective.add(name);
        }
        drTraces?.push({ scope, name, active: ok, conditions });
      } catch (err) {
        if (!(err instanceof StrictEvaluationError)) throw err;
        sdr.errRoles.push(name);
        drTraces?.push({ scope, name, active: false, error: err.message, conditions });
      } finally {
        ctx.exprTrace = saved;
      }
    }
    sdr.errRoles.sort();
    scopedDerivedRoles.set(scope, sdr);
    return sdr;
  };

  const emitOutput = (row: Row, program: CelProgram, action: string, constants: Record<string, unknown>, variables: Record<string, unknown>) => {
    const entry: OutputEntry = { src: row.ruleFqn, action };
    const v = ctx.run(program, constants, variables);
    if (v instanceof CelEvalError) entry.error = v.message;
    else entry.val = celToJson(v);
    output.outputs.push(entry);
  };

  for (const action of actions) {
    let actionEffect: EffectInfo = { effect: NO_MATCH, policy: "", scope: "" };
    const ruleTraces: RuleTrace[] | undefined = explain ? [] : undefined;
    let decidingRule: string | undefined;
    policies: for (const pt of POLICY_TYPES) {
      const main = pt === "principal" ? principal : resource;
      const exists = pt === "principal" ? scopedPrincipalExists : scopedResourceExists;
      actionEffect.effect = NO_MATCH;
      for (let i = 0; i < input.principal.roles.length; i++) {
        // Principal rows are role-agnostic, so one pass covers them.
        if (i > 0 && pt === "principal") break;
        const role = input.principal.roles[i]!;
        let hasAllow = false;
        const roleEffect: EffectInfo = { effect: NO_MATCH, policy: exists ? main.policyKey : NO_MATCH, scope: "" };
        let roleRule: string | undefined;
        scopes: for (const scope of main.scopes) {
          if (pt === "resource") {
            const sdr = derivedRolesAt(scope);
            ctx.setRuntime(sdr);
          }
          if (roleEffect.effect !== NO_MATCH) break;
          const rows = table.query(pt === "principal" ? principalPrefix : resourcePrefix, pt, resourceVersion, kind, scope, action, role, resourceScope, pt === "principal" ? input.principal.id : "");
          for (const row of rows) {
            const constants = row.params?.constants ?? NO_VALUES;
            const variables = row.params ? variablesOf(row.params, false) : NO_VALUES;
            const trace: RuleTrace | undefined = ruleTraces
              ? { rule: row.ruleFqn || policyKey(row.originFqn), policyType: pt, scope, role: row.role, derivedRole: row.originDerivedRole, effect: row.effect, outcome: "notMet", conditions: [] }
              : undefined;
            if (trace) {
              ruleTraces!.push(trace);
              ctx.exprTrace = trace.conditions;
            }
            let satisfied: boolean;
            const cached = conditionCache.get(row.evalKey);
            if (cached !== undefined) {
              satisfied = cached;
              if (trace) trace.cached = true;
            } else {
              try {
                if (row.derivedRoleCondition !== undefined) {
                  const drParams = row.derivedRoleParams!;
                  const drVars = variablesOf(drParams, false);
                  if (!ctx.satisfies(row.derivedRoleCondition, drParams.constants, drVars)) {
                    conditionCache.set(row.evalKey, false);
                    if (trace) trace.outcome = "skipped";
                    continue;
                  }
                }
                satisfied = ctx.satisfies(row.condition, constants, variables);
              } catch (err) {
                if (!(err instanceof StrictEvaluationError)) throw err;
                if (trace) trace.outcome = "error";
                actionEffect = { effect: "EFFECT_DENY", policy: policyKey(row.originFqn), scope };
                decidingRule = row.ruleFqn;
                break policies;
              }
              conditionCache.set(row.evalKey, satisfied);
            }
            if (satisfied) {
              if (trace) trace.outcome = "activated";
              if (row.output?.ruleActivated) emitOutput(row, row.output.ruleActivated, action, constants, variables);
              if (row.effect === "EFFECT_ALLOW") {
                hasAllow = true;
                roleRule ??= row.ruleFqn;
              }
              if (row.effect === "EFFECT_DENY") {
                roleEffect.effect = "EFFECT_DENY";
                roleEffect.scope = scope;
                roleRule = row.ruleFqn || policyKey(row.originFqn);
                // Synthetic role-policy DENYs are attributed to the role policy.
                if (row.fromRolePolicy) roleEffect.policy = policyKey(row.originFqn);
                break scopes;
              }
            } else if (row.output?.conditionNotMet) {
              emitOutput(row, row.output.conditionNotMet, action, constants, variables);
            }
          }
          if (hasAllow) {
            if (table.scopePermissions(scope) === "SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS") {
              hasAllow = false;
              roleRule = undefined;
            } else {
              roleEffect.effect = "EFFECT_ALLOW";
              roleEffect.scope = scope;
              break scopes;
            }
          }
        }
        ctx.exprTrace = undefined;
        if (actionEffect.effect === NO_MATCH) {
          actionEffect = { ...roleEffect };
          decidingRule = roleRule;
        }
        if (roleEffect.effect === "EFFECT_ALLOW") {
          actionEffect = { ...roleEffect };
          decidingRule = roleRule;
          break;
        } else if (roleEffect.effect === "EFFECT_DENY" && actionEffect.policy === NO_MATCH_FOR_SCOPE_PERMISSIONS && roleEffect.policy !== NO_MATCH_FOR_SCOPE_PERMISSIONS) {
          actionEffect = { ...roleEffect };
          decidingRule = roleRule;
        }
      }
      if (actionEffect.effect === "EFFECT_ALLOW" || actionEffect.effect === "EFFECT_DENY") break;
    }
    ctx.exprTrace = undefined;
    if (actionEffect.effect === NO_MATCH) actionEffect.effect = "EFFECT_DENY";
    effects.set(action, actionEffect);
    if (explanations) {
      explanations[action] = {
        effect: actionEffect.effect as Effect,
        policy: actionEffect.policy || NO_MATCH,
        scope: actionEffect.scope,
        rule: actionEffect.effect === "EFFECT_ALLOW" || decidingRule ? decidingRule : undefined,
        rules: ruleTraces ?? [],
      };
    }
  }
  return finish(ctx);
}
