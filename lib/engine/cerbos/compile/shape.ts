// Unknown fields make Cerbos reject a policy ("unknown field \"x\""), so they are compile errors
// here too. The allowed fields per object follow cerbos.policy.v1 (JSON names).
import { isObject } from "./context.ts";

type Shape = { fields: Record<string, Shape | ShapeList | null> };
type ShapeList = { list: Shape };

const S = (fields: Shape["fields"]): Shape => ({ fields });
const L = (shape: Shape): ShapeList => ({ list: shape });

const MATCH: Shape = S({});
const OF = S({ of: null });
MATCH.fields = { expr: null, all: OF, any: OF, none: OF };
OF.fields = { of: L(MATCH) };
const CONDITION = S({ match: MATCH, script: null });
const OUTPUT = S({ expr: null, when: S({ ruleActivated: null, conditionNotMet: null }) });
const IMPORT_LOCAL = S({ import: null, local: null });
const SCHEMA = S({ ref: null, ignoreWhen: S({ actions: null }) });

const RESOURCE_POLICY = S({
  resource: null,
  version: null,
  importDerivedRoles: null,
  rules: L(S({ actions: null, derivedRoles: null, roles: null, condition: CONDITION, effect: null, name: null, output: OUTPUT })),
  scope: null,
  schemas: S({ principalSchema: SCHEMA, resourceSchema: SCHEMA }),
  variables: IMPORT_LOCAL,
  constants: IMPORT_LOCAL,
  scopePermissions: null,
});
const PRINCIPAL_POLICY = S({
  principal: null,
  version: null,
  rules: L(S({ resource: null, actions: L(S({ action: null, condition: CONDITION, effect: null, name: null, output: OUTPUT })) })),
  scope: null,
  variables: IMPORT_LOCAL,
  constants: IMPORT_LOCAL,
  scopePermissions: null,
});
const ROLE_POLICY = S({
  role: null,
  version: null,
  parentRoles: null,
  scope: null,
  rules: L(S({ resource: null, allowActions: null, condition: CONDITION, name: null, output: OUTPUT })),
  scopePermissions: null,
  variables: IMPORT_LOCAL,
  constants: IMPORT_LOCAL,
});
const DERIVED_ROLES = S({
  name: null,
  definitions: L(S({ name: null, parentRoles: null, condition: CONDITION })),
  variables: IMPORT_LOCAL,
  constants: IMPORT_LOCAL,
});
const EXPORTS = S({ name: null, definitions: null });

export const POLICY_SHAPE = S({
  apiVersion: null,
  description: null,
  disabled: null,
  metadata: null,
  variables: null,
  $schema: null,
  resourcePolicy: RESOURCE_POLICY,
  principalPolicy: PRINCIPAL_POLICY,
  rolePolicy: ROLE_POLICY,
  derivedRoles: DERIVED_ROLES,
  exportVariables: EXPORTS,
  exportConstants: EXPORTS,
});

/** Paths (as used for positions, e.g. `resourcePolicy.rules[0].foo`) of fields Cerbos does not know. */
export function unknownFields(value: unknown, shape: Shape = POLICY_SHAPE, path = ""): string[] {
  if (!isObject(value)) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const p = path ? `${path}.${key}` : key;
    if (!(key in shape.fields)) {
      out.push(p);
      continue;
    }
    const sub = shape.fields[key];
    if (!sub) continue;
    if ("list" in sub) {
      if (Array.isArray(v)) v.forEach((item, i) => out.push(...unknownFields(item, sub.list, `${p}[${i}]`)));
    } else out.push(...unknownFields(v, sub, p));
  }
  return out;
}
