// The index a check consults, modelled on Cerbos's rule table: rows bucketed by
// (version, scope), filtered by kind, resource, role and action globs, with role-policy
// synthetic DENYs prepended. Query results are memoised, so a warm check allocates little.
import type { CompiledDerivedRole, CompiledPolicy, CompiledSchemas, ScopePermissions } from "../compile/model.ts";
import { policyKey, principalPolicyFqn, resourcePolicyFqn, rolePolicyFqn, sanitize, scopeParents } from "../compile/naming.ts";
import { matchesGlob } from "../glob.ts";
import { buildRows, type PolicyKind, type Row } from "./rows.ts";

const QUERY_CACHE_LIMIT = 50_000;

export class RuleTable {
  private readonly buckets = new Map<string, Row[]>();
  private readonly principalScopes = new Set<string>();
  private readonly resourceScopes = new Set<string>();
  private readonly scopePermissionsByScope = new Map<string, ScopePermissions>();
  /** scope → role → all (transitive) parent roles from role policies. */
  private readonly parentRoles = new Map<string, Map<string, string[]>>();
  private readonly derivedRolesByPolicy: Map<string, Map<string, CompiledDerivedRole>>;
  private readonly schemasByResource = new Map<string, CompiledSchemas>();
  private readonly schemasByFqn = new Map<string, CompiledSchemas>();
  /** prefix (kind, version, resource, resource scope, principal) → scope → action → role → rows. */
  private readonly queryCache = new Map<string, Map<string, Map<string, Map<string, Row[]>>>>();
  private queryCacheEntries = 0;
  private readonly rolesCache = new Map<string, string[]>();
  readonly policyFiles = new Map<string, string>();

  constructor(policies: CompiledPolicy[]) {
    const { rows, roleParents, derivedRolesByPolicy } = buildRows(policies);
    this.derivedRolesByPolicy = derivedRolesByPolicy;
    for (const row of rows) {
      const key = `${row.version}\u0000${row.scope}`;
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = []));
      bucket.push(row);
      if (row.scopePermissions) this.scopePermissionsByScope.set(row.scope, row.scopePermissions);
      (row.kind === "principal" ? this.principalScopes : this.resourceScopes).add(row.scope);
    }
    const direct = new Map<string, Map<string, string[]>>();
    for (const rp of roleParents) {
      let m = direct.get(rp.scope);
      if (!m) direct.set(rp.scope, (m = new Map()));
      m.set(rp.role, rp.parentRoles);
    }
    for (const [scope, m] of direct) {
      const closed = new Map<string, string[]>();
      for (const role of m.keys()) {
        const acc = new Set<string>();
        const visited = new Set<string>();
        const walk = (r: string) => {
          if (visited.has(r)) return;
          visited.add(r);
          for (const p of m.get(r) ?? []) {
            acc.add(p);
            walk(p);
          }
        };
        walk(role);
        closed.set(role, [...acc]);
      }
      this.parentRoles.set(scope, closed);
    }
    for (const p of policies) {
      const fqn = p.kind === "resource" ? resourcePolicyFqn(p.resource, p.version, p.scope) : p.kind === "principal" ? principalPolicyFqn(p.principal, p.version, p.scope) : rolePolicyFqn(p.role, p.version, p.scope);
      this.policyFiles.set(policyKey(fqn), p.file);
      if (p.kind === "resource" && p.scope === "" && p.schemas) this.schemasByResource.set(`${sanitize(p.resource)}|${p.version}`, p.schemas);
    }
    // Every resource policy set carries the schemas of its root policy; scopes that only have
    // role policies have none (Cerbos looks schemas up by the leaf-most policy FQN).
    for (const p of policies) {
      if (p.kind !== "resource") continue;
      const root = this.schemasByResource.get(`${sanitize(p.resource)}|${p.version}`);
      if (root) this.schemasByFqn.set(resourcePolicyFqn(p.resource, p.version, p.scope), root);
    }
  }

  /** Schemas in force for the leaf-most resource policy found (those of its unscoped policy). */
  schemasFor(resourcePolicyFqnValue: string): CompiledSchemas | undefined {
    return this.schemasByFqn.get(resourcePolicyFqnValue);
  }

  scopePermissions(scope: string): ScopePermissions | undefined {
    return this.scopePermissionsByScope.get(scope);
  }

  derivedRolesOf(resourcePolicyFqnValue: string): Map<string, CompiledDerivedRole> | undefined {
    return this.derivedRolesByPolicy.get(resourcePolicyFqnValue);
  }

  private readonly scopesCache = new Map<string, { scopes: string[]; policyKey: string; fqn: string }>();
  private readonly existsCache = new Map<string, boolean>();

  /** Scopes to search (leaf first) and the key of the leaf-most existing policy (memoised). */
  allScopes(kind: PolicyKind, scope: string, name: string, version: string, lenient: boolean): { scopes: string[]; policyKey: string; fqn: string } {
    const key = `${kind}\u0000${scope}\u0000${name}\u0000${version}\u0000${lenient ? 1 : 0}`;
    let r = this.scopesCache.get(key);
    if (!r) {
      if (this.scopesCache.size > QUERY_CACHE_LIMIT) this.scopesCache.clear();
      this.scopesCache.set(key, (r = this.computeAllScopes(kind, scope, name, version, lenient)));
    }
    return r;
  }

  private computeAllScopes(kind: PolicyKind, scope: string, name: string, version: string, lenient: boolean): { scopes: string[]; policyKey: string; fqn: string } {
    const fqnOf = kind === "principal" ? principalPolicyFqn : resourcePolicyFqn;
    const scopeSet = kind === "principal" ? this.principalScopes : this.resourceScopes;
    const scopes: string[] = [];
    let fqn = "";
    if (scopeSet.has(scope)) {
      fqn = fqnOf(name, version, scope);
      scopes.push(scope);
    } else if (!lenient) {
      return { scopes, policyKey: "", fqn: "" };
    }
    for (const s of scopeParents(scope)) {
      if (scopeSet.has(s)) {
        scopes.push(s);
        if (fqn === "") fqn = fqnOf(name, version, s);
      }
    }
    return { scopes, policyKey: fqn ? policyKey(fqn) : "", fqn };
  }

  private rowsAt(version: string, scope: string): Row[] {
    return this.buckets.get(`${version}\u0000${scope}`) ?? [];
  }

  private memoExists(key: string, compute: () => boolean): boolean {
    let v = this.existsCache.get(key);
    if (v === undefined) {
      if (this.existsCache.size > QUERY_CACHE_LIMIT) this.existsCache.clear();
      this.existsCache.set(key, (v = compute()));
    }
    return v;
  }

  scopedPrincipalExists(version: string, scopes: string[]): boolean {
    return this.memoExists(`p\u0000${version}\u0000${scopes.length}\u0000${scopes.join("\u0001")}`, () => scopes.some((s) => this.rowsAt(version, s).some((r) => r.kind === "principal")));
  }

  scopedResourceExists(version: string, resource: string, scopes: string[]): boolean {
    return this.memoExists(`r\u0000${version}\u0000${resource}\u0000${scopes.length}\u0000${scopes.join("\u0001")}`, () =>
      scopes.some((s) => this.rowsAt(version, s).some((r) => r.kind === "resource" && matchesGlob(r.resource, resource))),
    );
  }

  /** The role plus every parent role role policies give it in the request's resource scope. */
  rolesWithParents(resourceScope: string, roles: readonly string[]): string[] {
    const m = this.parentRoles.get(resourceScope);
    if (!m) return [...roles];
    const out = [...roles];
    for (const r of roles) out.push(...(m.get(r) ?? []));
    return out;
  }

  private roleQuery(resourceScope: string, role: string): string[] {
    const key = `${resourceScope}\u0000${role}`;
    let r = this.rolesCache.get(key);
    if (!r) this.rolesCache.set(key, (r = this.rolesWithParents(resourceScope, [role])));
    return r;
  }

  /** Cache key for the parts of a query that are fixed for one check (see `query`). */
  queryPrefix(kind: PolicyKind, version: string, resource: string, resourceScope: string, principalId: string): string {
    return `${kind}\u0000${version}\u0000${resource}\u0000${resourceScope}\u0000${principalId}`;
  }

  /**
   * Rows for one (kind, version, resource, scope, action, role); principal rows match by id.
   * `prefix` is `queryPrefix(kind, version, resource, resourceScope, principalId)`, computed once per check.
   */
  query(prefix: string, kind: PolicyKind, version: string, resource: string, scope: string, action: string, role: string, resourceScope: string, principalId: string): Row[] {
    let byScope = this.queryCache.get(prefix);
    if (!byScope) this.queryCache.set(prefix, (byScope = new Map()));
    let byAction = byScope.get(scope);
    if (!byAction) byScope.set(scope, (byAction = new Map()));
    let byRole = byAction.get(action);
    if (!byRole) byAction.set(action, (byRole = new Map()));
    const cached = byRole.get(role);
    if (cached) return cached;
    const out = this.computeQuery(kind, version, resource, scope, action, role, resourceScope, principalId);
    if (++this.queryCacheEntries > QUERY_CACHE_LIMIT) {
      this.queryCache.clear();
      this.queryCacheEntries = 0;
    } else byRole.set(role, out);
    return out;
  }

  private computeQuery(kind: PolicyKind, version: string, resource: string, scope: string, action: string, role: string, resourceScope: string, principalId: string): Row[] {
    const roles = this.roleQuery(resourceScope, role);
    const bucket = this.rowsAt(version, scope);
    const roleMatches = (r: Row) => roles.some((q) => matchesGlob(r.role, q));
    const out: Row[] = [];
    // Cerbos intersects every dimension but the action first and returns nothing (not even
    // role-policy DENYs) when no row at all exists for this kind/resource/role combination.
    const base = bucket.filter(
      (r) => r.kind === kind && (kind !== "principal" || r.principal === principalId) && matchesGlob(r.resource, resource) && roleMatches(r),
    );
    if (base.length > 0) {
      if (kind === "resource") this.appendRolePolicyDenies(bucket, resource, action, roles, out);
      for (const r of base) if (r.action !== undefined && !r.noop && matchesGlob(r.action, action)) out.push(r);
    }
    return out;
  }

  private appendRolePolicyDenies(bucket: Row[], resource: string, action: string, roles: string[], out: Row[]): void {
    const candidates = bucket.filter((r) => r.allowActions && roles.some((q) => matchesGlob(r.role, q)));
    if (candidates.length === 0) return;
    const rep = new Map<string, Row>();
    for (const c of candidates) if (!rep.has(c.role)) rep.set(c.role, c);
    const byRole = new Map<string, Row[]>();
    for (const c of candidates) {
      if (!matchesGlob(c.resource, resource)) continue;
      const l = byRole.get(c.role) ?? [];
      l.push(c);
      byRole.set(c.role, l);
    }
    for (const role of roles) {
      const r = rep.get(role);
      if (!r) continue;
      const bindings = byRole.get(role) ?? [];
      if (bindings.length === 0) {
        out.push(noMatchRolePolicyDeny(role, r.version, r.scope, resource, action));
        continue;
      }
      const matched = bindings.filter((b) => b.allowActions!.some((a) => a === action || matchesGlob(a, action)));
      if (matched.length === 0) {
        out.push(noMatchRolePolicyDeny(role, bindings[0]!.version, bindings[0]!.scope, bindings[0]!.resource, action));
        continue;
      }
      for (const m of matched) {
        if (!m.condition) {
          // Pure allow-list entry: falls through, but its output (if any) is still emitted.
          if (m.output) out.push({ ...m, allowActions: undefined, action, effect: undefined, condition: undefined });
          continue;
        }
        out.push({
          ...m,
          allowActions: undefined,
          action,
          effect: "EFFECT_DENY",
          condition: { kind: "none", items: [m.condition] },
          output: m.output ? { ruleActivated: m.output.conditionNotMet, conditionNotMet: m.output.ruleActivated } : undefined,
        });
      }
    }
  }
}

function noMatchRolePolicyDeny(role: string, version: string, scope: string, resource: string, action: string): Row {
  return {
    id: -1,
    originFqn: rolePolicyFqn(role, version, scope),
    kind: "resource",
    resource,
    role,
    action,
    principal: "",
    scope,
    version,
    effect: "EFFECT_DENY",
    name: "",
    evalKey: "",
    fromRolePolicy: true,
    noMatchForScopePermissions: true,
    ruleFqn: "",
  };
}
