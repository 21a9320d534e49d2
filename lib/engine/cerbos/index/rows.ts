// Rule-table rows, as Cerbos expands policies (internal/ruletable/ruletable.go): one row per
// (rule, action, role); derived roles become one row per parent role carrying the derived
// role condition; REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS turns conditional ALLOWs into
// DENY-unless-condition; role policies keep their allow-lists for synthetic DENYs at query time.
import type {
  CompiledCondition,
  CompiledDerivedRole,
  CompiledOutput,
  CompiledParams,
  CompiledPolicy,
  Effect,
  ScopePermissions,
} from "../compile/model.ts";
import { policyKey, principalPolicyFqn, resourcePolicyFqn, rolePolicyFqn, sanitize } from "../compile/naming.ts";

export type PolicyKind = "principal" | "resource";

export interface Row {
  id: number;
  originFqn: string;
  kind: PolicyKind;
  /** Resource kind or glob. */
  resource: string;
  role: string;
  /** Action or glob (absent for role-policy allow-list rows). */
  action?: string;
  allowActions?: string[];
  principal: string;
  scope: string;
  version: string;
  scopePermissions?: ScopePermissions;
  effect?: Effect;
  condition?: CompiledCondition;
  derivedRoleCondition?: CompiledCondition;
  derivedRoleParams?: CompiledParams;
  originDerivedRole?: string;
  output?: CompiledOutput;
  name: string;
  params?: CompiledParams;
  /** Key of the per-request condition cache (shared by rows of one rule, as in Cerbos). */
  evalKey: string;
  fromRolePolicy: boolean;
  noMatchForScopePermissions: boolean;
  /** `<policyKey>#<rule>` used as output `src`. */
  ruleFqn: string;
  /** Empty rows keep a policy's scope "existing" when it has no rules. */
  noop?: boolean;
}

function requireParentalConsent(row: Row, sp: ScopePermissions): void {
  if (sp === "SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS" && row.effect === "EFFECT_ALLOW" && row.condition) {
    row.condition = { kind: "none", items: [row.condition] };
    row.effect = "EFFECT_DENY";
  }
}

export interface RoleParents {
  scope: string;
  role: string;
  parentRoles: string[];
}

/** Expands compiled policies into rows (in policy, rule, action, role order). */
export function buildRows(policies: CompiledPolicy[]): { rows: Row[]; roleParents: RoleParents[]; derivedRolesByPolicy: Map<string, Map<string, CompiledDerivedRole>> } {
  const rows: Row[] = [];
  const roleParents: RoleParents[] = [];
  const derivedRolesByPolicy = new Map<string, Map<string, CompiledDerivedRole>>();
  const push = (r: Omit<Row, "id">) => rows.push({ ...r, id: rows.length });

  for (const p of policies) {
    if (p.kind === "resource") {
      const resource = sanitize(p.resource);
      const fqn = resourcePolicyFqn(p.resource, p.version, p.scope);
      if (p.derivedRoles.size > 0) derivedRolesByPolicy.set(fqn, p.derivedRoles);
      const base = {
        originFqn: fqn,
        kind: "resource" as const,
        resource,
        principal: "",
        scope: p.scope,
        version: p.version,
        scopePermissions: p.scopePermissions,
        fromRolePolicy: false,
        noMatchForScopePermissions: false,
      };
      if (p.rules.length === 0) {
        push({ ...base, role: "", name: "", evalKey: `${fqn}#`, ruleFqn: `${policyKey(fqn)}#`, noop: true });
      }
      for (const rule of p.rules) {
        const ruleFqn = `${policyKey(fqn)}#${rule.name}`;
        for (const action of rule.actions) {
          for (const role of rule.roles) {
            const row: Row = {
              ...base,
              id: 0,
              role,
              action,
              effect: rule.effect,
              condition: rule.condition,
              output: rule.output,
              name: rule.name,
              params: p.params,
              evalKey: `${fqn}#${ruleFqn}`,
              ruleFqn,
            };
            requireParentalConsent(row, p.scopePermissions);
            push(row);
          }
          for (const drName of rule.derivedRoles) {
            const dr = p.derivedRoles.get(drName);
            if (!dr) continue;
            for (const parent of dr.parentRoles) {
              const row: Row = {
                ...base,
                id: 0,
                role: parent,
                action,
                effect: rule.effect,
                condition: rule.condition,
                derivedRoleCondition: dr.condition,
                derivedRoleParams: dr.params,
                originDerivedRole: drName,
                output: rule.output,
                name: rule.name,
                params: p.params,
                evalKey: `cerbos.derived_roles.${drName}#${ruleFqn}`,
                ruleFqn,
              };
              requireParentalConsent(row, p.scopePermissions);
              push(row);
            }
          }
        }
      }
    } else if (p.kind === "principal") {
      const fqn = principalPolicyFqn(p.principal, p.version, p.scope);
      const base = {
        originFqn: fqn,
        kind: "principal" as const,
        role: "*",
        principal: p.principal,
        scope: p.scope,
        version: p.version,
        scopePermissions: p.scopePermissions,
        fromRolePolicy: false,
        noMatchForScopePermissions: false,
      };
      if (p.resourceRules.size === 0) {
        push({ ...base, resource: "", role: "", name: "", evalKey: `${fqn}#`, ruleFqn: `${policyKey(fqn)}#`, noop: true });
      }
      for (const [resource, rules] of p.resourceRules) {
        for (const rule of rules) {
          const ruleFqn = `${policyKey(fqn)}#${rule.name}`;
          const row: Row = {
            ...base,
            id: 0,
            resource: sanitize(resource),
            action: rule.action,
            effect: rule.effect,
            condition: rule.condition,
            output: rule.output,
            name: rule.name,
            params: p.params,
            evalKey: `${fqn}#${ruleFqn}`,
            ruleFqn,
          };
          requireParentalConsent(row, p.scopePermissions);
          push(row);
        }
      }
    } else {
      const fqn = rolePolicyFqn(p.role, p.version, p.scope);
      for (const [resource, rules] of p.resources) {
        rules.forEach((rule, idx) => {
          push({
            originFqn: fqn,
            kind: "resource",
            resource,
            role: p.role,
            allowActions: rule.allowActions,
            principal: "",
            scope: p.scope,
            version: p.version,
            condition: rule.condition,
            output: rule.output,
            name: rule.name,
            params: p.params,
            // Cerbos keys role-policy rules by their index within the resource, not by resource.
            evalKey: `${policyKey(fqn)}#${p.role}_rule-${String(idx).padStart(3, "0")}`,
            fromRolePolicy: true,
            noMatchForScopePermissions: false,
            ruleFqn: `${policyKey(fqn)}#${rule.name}`,
          });
        });
      }
      roleParents.push({ scope: p.scope, role: p.role, parentRoles: p.parentRoles });
    }
  }
  return { rows, roleParents, derivedRolesByPolicy };
}
