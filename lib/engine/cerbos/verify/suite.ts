// Cerbos policy test suites (`*_test.yaml`): loading, fixtures and validation, with the error
// messages `cerbos compile` gives for broken suites.
import { parse as parseYaml } from "yaml";
import type { JsonValue } from "../../types.ts";
import type { AuxData, CheckPrincipal, CheckResource } from "../api-types.ts";

export interface SuiteOptions {
  now?: string;
  defaultPolicyVersion?: string;
  defaultScope?: string;
  lenientScopeSearch?: boolean;
  strictEvaluation?: boolean;
  globals?: Record<string, JsonValue>;
}

export interface Expectation {
  principals: string[];
  resources: string[];
  actions: Record<string, string>;
  outputs: { action: string; expected: { src: string; val: JsonValue }[] }[];
}

export interface SuiteTest {
  name: string;
  skip: boolean;
  skipReason: string;
  options: SuiteOptions;
  principals: string[];
  resources: string[];
  actions: string[];
  auxData?: string;
  expected: Expectation[];
}

export interface Suite {
  name: string;
  description?: string;
  skip: boolean;
  skipReason: string;
  options: SuiteOptions;
  principals: Map<string, CheckPrincipal>;
  resources: Map<string, CheckResource>;
  auxData: Map<string, AuxData>;
  tests: SuiteTest[];
}

export class SuiteError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);
const EFFECTS = new Set(["EFFECT_ALLOW", "EFFECT_DENY"]);
const PRINCIPAL_FIELDS = new Set(["id", "policyVersion", "roles", "attr", "scope"]);
const RESOURCE_FIELDS = new Set(["kind", "id", "policyVersion", "attr", "scope"]);

function parseDoc(text: string, what: string): Obj {
  let v: unknown;
  try {
    v = parseYaml(text, { merge: true, maxAliasCount: -1 });
  } catch (err) {
    throw new SuiteError(`failed to load ${what}: invalid document: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!isObj(v)) throw new SuiteError(`failed to load ${what}:\n1:1 invalid document: contents are not valid YAML or JSON`);
  return v;
}

function checkFields(o: Obj, allowed: Set<string>, what: string): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new SuiteError(`failed to load test fixtures from testdata: failed to load ${what}: unknown field "${k}"`);
}

function groups(v: unknown): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, g] of Object.entries(isObj(v) ? v : {})) m.set(k, strings(isObj(g) ? g.principals ?? g.resources : g));
  return m;
}

/** Fixtures from `testdata/principals|resources|auxdata.{yaml,yml,json}`. */
export interface Fixtures {
  principals: Map<string, CheckPrincipal>;
  resources: Map<string, CheckResource>;
  auxData: Map<string, AuxData>;
  principalGroups: Map<string, string[]>;
  resourceGroups: Map<string, string[]>;
}

export function loadFixtures(files: Map<string, string>): Fixtures {
  const out: Fixtures = { principals: new Map(), resources: new Map(), auxData: new Map(), principalGroups: new Map(), resourceGroups: new Map() };
  const find = (base: string) => ["yaml", "yml", "json"].map((e) => files.get(`testdata/${base}.${e}`)).find((t) => t !== undefined);
  const p = find("principals");
  if (p !== undefined) {
    const doc = parseDoc(p, "principals");
    for (const [k, v] of Object.entries(isObj(doc.principals) ? doc.principals : {})) {
      if (isObj(v)) checkFields(v, PRINCIPAL_FIELDS, "principals");
      out.principals.set(k, v as CheckPrincipal);
    }
    out.principalGroups = groups(doc.principalGroups);
  }
  const r = find("resources");
  if (r !== undefined) {
    const doc = parseDoc(r, "resources");
    for (const [k, v] of Object.entries(isObj(doc.resources) ? doc.resources : {})) {
      if (isObj(v)) checkFields(v, RESOURCE_FIELDS, "resources");
      out.resources.set(k, v as CheckResource);
    }
    out.resourceGroups = groups(doc.resourceGroups);
  }
  const a = find("auxdata");
  if (a !== undefined) {
    const doc = parseDoc(a, "aux data");
    for (const [k, v] of Object.entries(isObj(doc.auxData) ? doc.auxData : {})) {
      if (isObj(v)) checkFields(v, new Set(["jwt", "jwts"]), "aux data");
      out.auxData.set(k, v as AuxData);
    }
  }
  return out;
}

function options(v: unknown): SuiteOptions {
  if (!isObj(v)) return {};
  const o: SuiteOptions = {};
  if (v.now !== undefined) {
    const s = v.now instanceof Date ? v.now.toISOString() : String(v.now);
    if (Number.isNaN(Date.parse(s)) || !/^\d{4}-\d{2}-\d{2}T/.test(s)) throw new SuiteError(`failed to load test suite:\ninvalid timestamp value ${JSON.stringify(s)}`);
    o.now = s;
  }
  if (typeof v.defaultPolicyVersion === "string") o.defaultPolicyVersion = v.defaultPolicyVersion;
  if (typeof v.defaultScope === "string") o.defaultScope = v.defaultScope;
  if (typeof v.lenientScopeSearch === "boolean") o.lenientScopeSearch = v.lenientScopeSearch;
  if (typeof v.strictEvaluation === "boolean") o.strictEvaluation = v.strictEvaluation;
  if (isObj(v.globals)) o.globals = v.globals as Record<string, JsonValue>;
  return o;
}

export function parseSuite(text: string, fixtures: Fixtures): Suite {
  const doc = parseDoc(text, "test suite");
  if (!Array.isArray(doc.tests) || doc.tests.length === 0) throw new SuiteError("failed to load test suite:\ntests: value is required");
  const principals = new Map(fixtures.principals);
  for (const [k, v] of Object.entries(isObj(doc.principals) ? doc.principals : {})) principals.set(k, v as CheckPrincipal);
  const resources = new Map(fixtures.resources);
  for (const [k, v] of Object.entries(isObj(doc.resources) ? doc.resources : {})) resources.set(k, v as CheckResource);
  const auxData = new Map(fixtures.auxData);
  for (const [k, v] of Object.entries(isObj(doc.auxData) ? doc.auxData : {})) auxData.set(k, v as AuxData);
  const principalGroups = new Map([...fixtures.principalGroups, ...groups(doc.principalGroups)]);
  const resourceGroups = new Map([...fixtures.resourceGroups, ...groups(doc.resourceGroups)]);
  const expand = (names: unknown, groupNames: unknown, gs: Map<string, string[]>, kind: "principal" | "resource", test: string) => {
    const out = [...strings(names)];
    for (const g of strings(groupNames)) {
      const members = gs.get(g);
      if (!members) throw new SuiteError(`Failed to load the test suite: invalid test "${test}": ${kind} group "${g}" not found`);
      out.push(...members);
    }
    return out;
  };
  const seen = new Set<string>();
  const tests: SuiteTest[] = doc.tests.map((t: unknown, i: number) => {
    if (!isObj(t) || typeof t.name !== "string") throw new SuiteError(`failed to load test suite:\ntests[${i}].name: value is required`);
    if (seen.has(t.name)) throw new SuiteError(`Invalid test suite: another test named ${t.name} already exists`);
    seen.add(t.name);
    const input = isObj(t.input) ? t.input : {};
    const test: SuiteTest = {
      name: t.name,
      skip: t.skip === true,
      skipReason: typeof t.skipReason === "string" ? t.skipReason : "",
      options: options(t.options),
      principals: expand(input.principals, input.principalGroups, principalGroups, "principal", t.name),
      resources: expand(input.resources, input.resourceGroups, resourceGroups, "resource", t.name),
      actions: strings(input.actions),
      auxData: typeof input.auxData === "string" ? input.auxData : undefined,
      expected: [],
    };
    const problems: string[] = [];
    (Array.isArray(t.expected) ? t.expected : []).forEach((e: unknown, j: number) => {
      if (!isObj(e)) return;
      const where = `tests[${i}].expected[${j}]`;
      if (e.principal === undefined && e.principals === undefined && e.principalGroups === undefined) problems.push(`${where}: principal, principals, or principalGroups must be present`);
      if (e.principal !== undefined && e.principals !== undefined) problems.push(`${where}: principal and principals may not both be present`);
      if (e.resource === undefined && e.resources === undefined && e.resourceGroups === undefined) problems.push(`${where}: resource, resources, or resourceGroups must be present`);
      if (e.resource !== undefined && e.resources !== undefined) problems.push(`${where}: resource and resources may not both be present`);
      const actions = (isObj(e.actions) ? e.actions : {}) as Record<string, string>;
      for (const eff of Object.values(actions)) if (!EFFECTS.has(eff)) problems.push(`${where}.actions: invalid effect ${JSON.stringify(eff)}`);
      test.expected.push({
        principals: [...strings(e.principal), ...expand(e.principals, e.principalGroups, principalGroups, "principal", t.name as string)],
        resources: [...strings(e.resource), ...expand(e.resources, e.resourceGroups, resourceGroups, "resource", t.name as string)],
        actions,
        outputs: (Array.isArray(e.outputs) ? e.outputs : []).map((o: Obj) => ({ action: String(o.action), expected: (Array.isArray(o.expected) ? o.expected : []) as { src: string; val: JsonValue }[] })),
      });
    });
    if (problems.length) throw new SuiteError(`failed to load test suite:\n${problems.join("\n")}`);
    for (const p of test.principals) if (!principals.has(p)) throw new SuiteError(`Failed to load the test suite: invalid test "${t.name}": principal "${p}" not found`);
    for (const r of test.resources) if (!resources.has(r)) throw new SuiteError(`Failed to load the test suite: invalid test "${t.name}": resource "${r}" not found`);
    if (test.auxData && !auxData.has(test.auxData)) throw new SuiteError(`Failed to load the test suite: invalid test "${t.name}": auxData "${test.auxData}" not found`);
    for (const p of test.principals) {
      const f = principals.get(p) as unknown as Obj;
      if (typeof f.id !== "string" || !Array.isArray(f.roles)) throw new SuiteError(`failed to load test fixtures from testdata: failed to load principals: principal "${p}" needs id and roles`);
    }
    for (const r of test.resources) {
      const f = resources.get(r) as unknown as Obj;
      if (typeof f.kind !== "string" || typeof f.id !== "string") throw new SuiteError(`failed to load test fixtures from testdata: failed to load resources: resource "${r}" needs kind and id`);
    }
    const inputActions = new Set(test.actions);
    const extra = [...new Set(test.expected.flatMap((e) => Object.keys(e.actions)))].filter((a) => !inputActions.has(a));
    if (extra.length) throw new SuiteError(`Failed to load the test suite: invalid test "${t.name}": found expectations for actions that do not exist in the input actions list: [${extra.join(" ")}]`);
    const extraOut = [...new Set(test.expected.flatMap((e) => e.outputs.map((o) => o.action)))].filter((a) => !inputActions.has(a));
    if (extraOut.length) throw new SuiteError(`Failed to load the test suite: invalid test "${t.name}": found output expectations for actions that are not in the input actions list: [${extraOut.join(" ")}]`);
    return test;
  });
  return {
    name: typeof doc.name === "string" ? doc.name : "Unknown",
    description: typeof doc.description === "string" ? doc.description : undefined,
    skip: doc.skip === true,
    skipReason: typeof doc.skipReason === "string" ? doc.skipReason : "",
    options: options(doc.options),
    principals,
    resources,
    auxData,
    tests,
  };
}
