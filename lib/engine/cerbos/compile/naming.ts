// Policy names as Cerbos builds them (internal/namer): FQNs, policy keys, rule names.

const OLD_NAME_PATTERN = /^[A-Za-z][\w@.\-/]*(:[A-Za-z][\w@.\-/]*)*$/;

/** Cerbos replaced non-word characters with '_' in legacy-looking names; it still does for IDs. */
const sanitized = new Map<string, string>();

export function sanitize(v: string): string {
  let out = sanitized.get(v);
  if (out === undefined) {
    out = OLD_NAME_PATTERN.test(v) ? v.replace(/[^\w.]+/g, "_") : v;
    if (sanitized.size > 10_000) sanitized.clear();
    sanitized.set(v, out);
  }
  return out;
}

function withScope(fqn: string, scope: string): string {
  return scope ? `${fqn}/${scope}` : fqn;
}

export const resourcePolicyFqn = (resource: string, version: string, scope: string) =>
  withScope(`cerbos.resource.${sanitize(resource)}.v${sanitize(version)}`, scope);
export const principalPolicyFqn = (principal: string, version: string, scope: string) =>
  withScope(`cerbos.principal.${sanitize(principal)}.v${sanitize(version)}`, scope);
export const rolePolicyFqn = (role: string, version: string, scope: string) =>
  withScope(`cerbos.role.${sanitize(role)}.v${sanitize(version)}`, scope);
export const derivedRolesFqn = (name: string) => `cerbos.derived_roles.${sanitize(name)}`;
export const exportVariablesFqn = (name: string) => `cerbos.export_variables.${sanitize(name)}`;
export const exportConstantsFqn = (name: string) => `cerbos.export_constants.${sanitize(name)}`;

/** Policy key as it appears in decision logs: the FQN without `cerbos.`. */
export function policyKey(fqn: string): string {
  return fqn.startsWith("cerbos.") ? fqn.slice("cerbos.".length) : fqn;
}

/** Scope chain from the leaf up to (but excluding) the leaf itself: a.b.c → a.b, a, "". */
export function scopeParents(scope: string): string[] {
  const out: string[] = [];
  for (let i = scope.length - 1; i >= 0; i--) {
    if (scope[i] === "." || i === 0) out.push(scope.slice(0, i));
  }
  return out;
}

/** A leading '.' means the root scope (".", ".acme" → "", "acme"). */
export function normalizeScope(scope: string): string {
  return scope.startsWith(".") ? scope.slice(1) : scope;
}

export const SCOPE_PATTERN = /^(|\.|[0-9a-zA-Z][\w-]*(\.\w[\w-]*)*)$/;
