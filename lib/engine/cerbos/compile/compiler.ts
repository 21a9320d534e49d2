// Compiles a directory's worth of Cerbos policy sources into the CompiledPolicySetData the rule
// table is built from, reporting errors with file and line.
import type { CompileError, JsonValue } from "../../types.ts";
import type { PolicySources } from "../policy-loader.ts";
import { compileCondition, compileOutput } from "./conditions.ts";
import { CompileErrors, DocContext, isObject, stringList, type Json } from "./context.ts";
import type {
  CompiledDerivedRole,
  CompiledPolicy,
  CompiledPolicySetData,
  CompiledPrincipalActionRule,
  CompiledResourceRule,
  CompiledRoleRule,
  CompiledSchemas,
  Effect,
  ScopePermissions,
  SchemaRef,
} from "./model.ts";
import { principalPolicyFqn, resourcePolicyFqn, rolePolicyFqn, SCOPE_PATTERN, scopeParents } from "./naming.ts";
import { ParamsBuilder } from "./variables.ts";
import { unknownFields } from "./shape.ts";
import { parseSourceFile, type SourceDocument } from "./yaml-source.ts";

const POLICY_KINDS = ["resourcePolicy", "principalPolicy", "rolePolicy", "derivedRoles", "exportVariables", "exportConstants"] as const;
type PolicyKindKey = (typeof POLICY_KINDS)[number];

interface PolicyDoc {
  doc: SourceDocument;
  kind: PolicyKindKey;
  body: Json;
}

export type CompileResult = { ok: true; data: CompiledPolicySetData } | { ok: false; errors: CompileError[] };

class Compiler {
  readonly errors = new CompileErrors();
  private readonly exportVariables = new Map<string, PolicyDoc>();
  private readonly exportConstants = new Map<string, PolicyDoc>();
  private readonly derivedRoleSets = new Map<string, PolicyDoc>();
  private readonly derivedRoleCache = new Map<string, Map<string, CompiledDerivedRole> | null>();
  private readonly schemaRefs: Set<string>;

  constructor(schemaRefs: Set<string>) {
    this.schemaRefs = schemaRefs;
  }

  register(docs: PolicyDoc[]): void {
    for (const d of docs) {
      const registry =
        d.kind === "exportVariables" ? this.exportVariables : d.kind === "exportConstants" ? this.exportConstants : d.kind === "derivedRoles" ? this.derivedRoleSets : undefined;
      if (!registry) continue;
      const name = d.body.name;
      if (typeof name !== "string" || name === "") {
        this.errors.add(d.doc, d.kind, `${d.kind}.name is required`);
        continue;
      }
      if (registry.has(name)) this.errors.add(d.doc, `${d.kind}.name`, `duplicate ${d.kind} definition "${name}" (also in ${registry.get(name)!.doc.file})`);
      registry.set(name, d);
    }
  }

  /** Builds the constants/variables of a policy: imports, locals and deprecated top-level variables. */
  private params(ctx: DocContext, kind: string, body: Json, topLevelVariables: unknown): ParamsBuilder {
    const pb = new ParamsBuilder(ctx);
    const constants = isObject(body.constants) ? body.constants : {};
    stringList(ctx, `${kind}.constants.import`, constants.import).forEach((name, i) => {
      const ec = this.exportConstants.get(name);
      if (!ec) ctx.error(`${kind}.constants.import[${i}]`, `Constants import '${name}' cannot be found`);
      else pb.addConstants(`${kind}.constants.import[${i}]`, ec.body.definitions, `import '${name}'`);
    });
    pb.addConstants(`${kind}.constants.local`, constants.local, "policy local constants");
    const variables = isObject(body.variables) ? body.variables : {};
    stringList(ctx, `${kind}.variables.import`, variables.import).forEach((name, i) => {
      const ev = this.exportVariables.get(name);
      if (!ev) ctx.error(`${kind}.variables.import[${i}]`, `Variables import '${name}' cannot be found`);
      else pb.addVariables(`${kind}.variables.import[${i}]`, ev.body.definitions, `import '${name}'`);
    });
    pb.addVariables(`${kind}.variables.local`, variables.local, "policy local variables");
    pb.addVariables("variables", topLevelVariables, "deprecated top-level policy variables");
    pb.resolve(kind);
    return pb;
  }

  private derivedRoles(name: string): Map<string, CompiledDerivedRole> | null {
    if (this.derivedRoleCache.has(name)) return this.derivedRoleCache.get(name)!;
    const d = this.derivedRoleSets.get(name)!;
    const ctx = new DocContext(d.doc, this.errors);
    const pb = this.params(ctx, "derivedRoles", d.body, (d.doc.value as Json).variables);
    const out = new Map<string, CompiledDerivedRole>();
    const defs = Array.isArray(d.body.definitions) ? d.body.definitions : [];
    defs.forEach((def: unknown, i: number) => {
      const path = `derivedRoles.definitions[${i}]`;
      if (!isObject(def) || typeof def.name !== "string") {
        ctx.error(path, "derived role definition needs a name");
        return;
      }
      const parents = stringList(ctx, `${path}.parentRoles`, def.parentRoles);
      pb.resetUsage();
      const condition = compileCondition(ctx, `${path}.condition`, def.condition, (src, p) => pb.use(p, src));
      out.set(def.name, {
        name: def.name,
        parentRoles: parents.includes("*") ? ["*"] : [...new Set(parents)],
        condition,
        params: pb.build(path),
        originFqn: `cerbos.derived_roles.${name}`,
      });
    });
    this.derivedRoleCache.set(name, out);
    return out;
  }

  private scopeOf(ctx: DocContext, kind: string, body: Json): string {
    const scope = body.scope ?? "";
    if (typeof scope !== "string" || !SCOPE_PATTERN.test(scope)) {
      ctx.error(`${kind}.scope`, `invalid scope ${JSON.stringify(scope)}`);
      return "";
    }
    return scope;
  }

  private scopePermissions(ctx: DocContext, kind: string, body: Json): ScopePermissions {
    const sp = body.scopePermissions;
    if (sp === undefined || sp === "SCOPE_PERMISSIONS_UNSPECIFIED" || sp === "SCOPE_PERMISSIONS_OVERRIDE_PARENT") return "SCOPE_PERMISSIONS_OVERRIDE_PARENT";
    if (sp === "SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS") return sp;
    ctx.error(`${kind}.scopePermissions`, `invalid scopePermissions ${JSON.stringify(sp)}`);
    return "SCOPE_PERMISSIONS_OVERRIDE_PARENT";
  }

  private effect(ctx: DocContext, path: string, v: unknown): Effect {
    if (v === "EFFECT_ALLOW" || v === "EFFECT_DENY") return v;
    ctx.error(path, `effect must be EFFECT_ALLOW or EFFECT_DENY`);
    return "EFFECT_DENY";
  }

  private schemaRef(ctx: DocContext, path: string, v: unknown): SchemaRef | undefined {
    if (!isObject(v) || typeof v.ref !== "string" || v.ref === "") return undefined;
    if (!this.schemaRefs.has(v.ref)) ctx.error(`${path}.ref`, `Failed to load schema "${v.ref}": schema not found`);
    const ignore = isObject(v.ignoreWhen) ? stringList(ctx, `${path}.ignoreWhen.actions`, v.ignoreWhen.actions) : [];
    return { ref: v.ref, ignoreActions: ignore };
  }

  compileResource(d: PolicyDoc): CompiledPolicy | undefined {
    const ctx = new DocContext(d.doc, this.errors);
    const b = d.body;
    const k = "resourcePolicy";
    if (typeof b.resource !== "string" || b.resource === "") ctx.error(`${k}.resource`, "resourcePolicy.resource is required");
    const version = versionOf(b.version);
    const scope = this.scopeOf(ctx, k, b);
    const imported = new Map<string, { set: string; role: CompiledDerivedRole }[]>();
    stringList(ctx, `${k}.importDerivedRoles`, b.importDerivedRoles).forEach((name, i) => {
      if (!this.derivedRoleSets.has(name)) {
        ctx.error(`${k}.importDerivedRoles[${i}]`, `Derived roles import "${name}" cannot be found`);
        return;
      }
      for (const [roleName, role] of this.derivedRoles(name) ?? []) {
        const list = imported.get(roleName) ?? [];
        list.push({ set: name, role });
        imported.set(roleName, list);
      }
    });
    const pb = this.params(ctx, k, b, (d.doc.value as Json).variables);
    const referenced = new Map<string, CompiledDerivedRole>();
    const rules: CompiledResourceRule[] = [];
    const rawRules = Array.isArray(b.rules) ? b.rules : [];
    rawRules.forEach((r: unknown, i: number) => {
      const path = `${k}.rules[${i}]`;
      if (!isObject(r)) return ctx.error(path, "rule must be an object");
      const name = typeof r.name === "string" && r.name !== "" ? r.name : `rule-${String(i + 1).padStart(3, "0")}`;
      const roles = stringList(ctx, `${path}.roles`, r.roles);
      const drs = stringList(ctx, `${path}.derivedRoles`, r.derivedRoles);
      if (roles.length === 0 && drs.length === 0) ctx.error(path, `Rule '${name}' does not specify any roles or derived roles to be matched`);
      drs.forEach((dr, j) => {
        const imp = imported.get(dr);
        if (!imp) ctx.error(`${path}.derivedRoles[${j}]`, `Derived role "${dr}" is not defined in any imports`);
        else if (imp.length > 1) ctx.error(`${path}.derivedRoles[${j}]`, `Derived role "${dr}" is defined in more than one import: ${imp.map((x) => x.set).join(", ")}`);
        else referenced.set(dr, imp[0]!.role);
      });
      const actions = stringList(ctx, `${path}.actions`, r.actions);
      if (actions.length === 0) ctx.error(`${path}.actions`, "rule must list at least one action");
      const use = (src: string, p: string) => pb.use(p, src);
      rules.push({
        name,
        actions: [...new Set(actions)],
        roles: roles.includes("*") ? ["*"] : [...new Set(roles)],
        derivedRoles: [...new Set(drs)],
        condition: compileCondition(ctx, `${path}.condition`, r.condition, use),
        effect: this.effect(ctx, `${path}.effect`, r.effect),
        output: compileOutput(ctx, `${path}.output`, r.output, use),
      });
    });
    let schemas: CompiledSchemas | undefined;
    if (isObject(b.schemas)) {
      schemas = {
        principal: this.schemaRef(ctx, `${k}.schemas.principalSchema`, b.schemas.principalSchema),
        resource: this.schemaRef(ctx, `${k}.schemas.resourceSchema`, b.schemas.resourceSchema),
      };
    }
    return {
      kind: "resource",
      fqn: resourcePolicyFqn(String(b.resource ?? ""), version, scope),
      file: d.doc.file,
      resource: String(b.resource ?? ""),
      version,
      scope,
      scopePermissions: this.scopePermissions(ctx, k, b),
      derivedRoles: referenced,
      rules,
      params: pb.build(k),
      schemas,
    };
  }

  compilePrincipal(d: PolicyDoc): CompiledPolicy | undefined {
    const ctx = new DocContext(d.doc, this.errors);
    const b = d.body;
    const k = "principalPolicy";
    if (typeof b.principal !== "string" || b.principal === "") ctx.error(`${k}.principal`, "principalPolicy.principal is required");
    const version = versionOf(b.version);
    const scope = this.scopeOf(ctx, k, b);
    const pb = this.params(ctx, k, b, (d.doc.value as Json).variables);
    const resourceRules = new Map<string, CompiledPrincipalActionRule[]>();
    const rawRules = Array.isArray(b.rules) ? b.rules : [];
    rawRules.forEach((r: unknown, ri: number) => {
      const path = `${k}.rules[${ri}]`;
      if (!isObject(r) || typeof r.resource !== "string") return ctx.error(path, "principal rule needs a resource");
      const resource = r.resource;
      const actions = Array.isArray(r.actions) ? r.actions : [];
      const compiled: CompiledPrincipalActionRule[] = [];
      actions.forEach((a: unknown, ai: number) => {
        const ap = `${path}.actions[${ai}]`;
        if (!isObject(a) || typeof a.action !== "string") return ctx.error(ap, "action rule needs an action");
        const use = (src: string, p: string) => pb.use(p, src);
        compiled.push({
          name: typeof a.name === "string" && a.name !== "" ? a.name : `${resource}_rule-${String(ai + 1).padStart(3, "0")}`,
          action: a.action,
          effect: this.effect(ctx, `${ap}.effect`, a.effect),
          condition: compileCondition(ctx, `${ap}.condition`, a.condition, use),
          output: compileOutput(ctx, `${ap}.output`, a.output, use),
        });
      });
      resourceRules.delete(resource);
      resourceRules.set(resource, compiled);
    });
    return {
      kind: "principal",
      fqn: principalPolicyFqn(String(b.principal ?? ""), version, scope),
      file: d.doc.file,
      principal: String(b.principal ?? ""),
      version,
      scope,
      scopePermissions: this.scopePermissions(ctx, k, b),
      resourceRules,
      params: pb.build(k),
    };
  }

  compileRole(d: PolicyDoc): CompiledPolicy | undefined {
    const ctx = new DocContext(d.doc, this.errors);
    const b = d.body;
    const k = "rolePolicy";
    if (typeof b.role !== "string" || b.role === "") ctx.error(`${k}.role`, "rolePolicy.role is required");
    const version = versionOf(b.version);
    const scope = this.scopeOf(ctx, k, b);
    const pb = this.params(ctx, k, b, (d.doc.value as Json).variables);
    const resources = new Map<string, CompiledRoleRule[]>();
    const rawRules = Array.isArray(b.rules) ? b.rules : [];
    rawRules.forEach((r: unknown, i: number) => {
      const path = `${k}.rules[${i}]`;
      if (!isObject(r) || typeof r.resource !== "string") return ctx.error(path, "role rule needs a resource");
      const use = (src: string, p: string) => pb.use(p, src);
      const list = resources.get(r.resource) ?? [];
      list.push({
        name: typeof r.name === "string" ? r.name : "",
        resource: r.resource,
        allowActions: [...new Set(stringList(ctx, `${path}.allowActions`, r.allowActions))],
        condition: compileCondition(ctx, `${path}.condition`, r.condition, use),
        output: compileOutput(ctx, `${path}.output`, r.output, use),
      });
      resources.set(r.resource, list);
    });
    return {
      kind: "role",
      fqn: rolePolicyFqn(String(b.role ?? ""), version, scope),
      file: d.doc.file,
      role: String(b.role ?? ""),
      version,
      scope,
      parentRoles: stringList(ctx, `${k}.parentRoles`, b.parentRoles),
      resources,
      params: pb.build(k),
    };
  }
}

/** Cerbos reads an unquoted YAML number as the version string it spells (version: 20210210). */
function versionOf(v: unknown): string {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return typeof v === "string" && v !== "" ? v : "default";
}

function classify(doc: SourceDocument, errors: CompileErrors): PolicyDoc | undefined {
  const v = doc.value;
  if (!isObject(v)) {
    errors.add(doc, "", "policy document must be a map");
    return undefined;
  }
  if (v.disabled === true) return undefined;
  if (v.apiVersion !== "api.cerbos.dev/v1") {
    errors.add(doc, "apiVersion", `unsupported apiVersion ${JSON.stringify(v.apiVersion)} (want "api.cerbos.dev/v1")`);
    return undefined;
  }
  const unknown = unknownFields(v);
  if (unknown.length > 0) {
    for (const path of unknown) errors.add(doc, `${path}#key`, `unknown field "${path.slice(path.lastIndexOf(".") + 1)}"`);
    return undefined;
  }
  const kinds = POLICY_KINDS.filter((k) => k in v);
  if (kinds.length !== 1) {
    errors.add(doc, "", `policy must define exactly one of ${POLICY_KINDS.join(", ")}`);
    return undefined;
  }
  const body = v[kinds[0]!];
  if (!isObject(body)) {
    errors.add(doc, kinds[0]!, `${kinds[0]} must be a map`);
    return undefined;
  }
  return { doc, kind: kinds[0]!, body };
}

function schemaKey(path: string): string {
  return `cerbos:///${path}`;
}

/** Compiles policy sources; all errors are reported together. */
export function compilePolicySources(sources: PolicySources): CompileResult {
  const errors = new CompileErrors();
  const schemas = new Map<string, JsonValue>();
  for (const s of sources.schemas) {
    try {
      schemas.set(schemaKey(s.path), JSON.parse(s.text) as JsonValue);
    } catch (err) {
      errors.add({ file: `_schemas/${s.path}` }, "", `invalid JSON schema: ${(err as Error).message}`);
    }
  }
  const docs: PolicyDoc[] = [];
  for (const f of sources.policies) {
    const parsed = parseSourceFile(f.path, f.text);
    for (const e of parsed.errors) errors.list.push(e);
    for (const doc of parsed.docs) {
      const pd = classify(doc, errors);
      if (pd) docs.push(pd);
    }
  }
  const compiler = new Compiler(new Set(schemas.keys()));
  compiler.register(docs);
  const policies: CompiledPolicy[] = [];
  const seen = new Map<string, string>();
  for (const d of docs) {
    const p =
      d.kind === "resourcePolicy" ? compiler.compileResource(d) : d.kind === "principalPolicy" ? compiler.compilePrincipal(d) : d.kind === "rolePolicy" ? compiler.compileRole(d) : undefined;
    if (!p) continue;
    if (seen.has(p.fqn)) compiler.errors.add(d.doc, d.kind, `duplicate policy definition ${p.fqn} (also in ${seen.get(p.fqn)})`);
    seen.set(p.fqn, p.file);
    policies.push(p);
  }
  // Scoped resource and principal policies need every ancestor scope to exist.
  for (const p of policies) {
    if (p.kind === "role" || p.scope === "") continue;
    for (const parent of scopeParents(p.scope)) {
      const fqn = p.kind === "resource" ? resourcePolicyFqn(p.resource, p.version, parent) : principalPolicyFqn(p.principal, p.version, parent);
      if (!seen.has(fqn)) compiler.errors.add({ file: p.file }, "", `Missing ancestor policy ${fqn} required by ${p.fqn}`);
    }
  }
  const all = [...errors.list, ...compiler.errors.list];
  if (all.length > 0) return { ok: false, errors: all };
  return { ok: true, data: { policies, schemas } };
}
