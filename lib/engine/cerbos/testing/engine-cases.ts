// Runs Cerbos's engine test cases (internal/test/testdata/engine*) and compares outputs the
// way Cerbos's own engine_test.go does: outputs stably sorted by src, derived roles as a set.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { JsonValue } from "../../types.ts";
import type { CheckInput, CheckOutput, EngineConfig } from "../api-types.ts";
import { compileCerbosDirectory } from "../engine.ts";
import { sharedDir } from "../../../shared-dir.ts";

export const CONFORMANCE_ROOT = process.env.HINDSIGHT_CONFORMANCE_DIR ?? join(sharedDir(), "conformance", "cerbos");

export interface EngineCase {
  name: string;
  inputs: CheckInput[];
  wantOutputs: Record<string, unknown>[];
  wantError: boolean;
}

export interface CaseResult {
  name: string;
  pass: boolean;
  diffs: string[];
}

/** protojson accepts proto (snake_case) names too; test data uses both. Attribute maps are left alone. */
function camelizeKeys(v: unknown, parentKey = ""): unknown {
  if (Array.isArray(v)) return v.map((x) => camelizeKeys(x, parentKey));
  if (v && typeof v === "object") {
    const keep = ["attr", "jwt", "val", "claims", "actions", "jwts", "annotations"].includes(parentKey);
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => {
        const key = keep ? k : k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
        return [key, camelizeKeys(x, key)];
      }),
    );
  }
  return v;
}

export function loadEngineCases(dir: string): EngineCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const doc = camelizeKeys(parse(readFileSync(join(dir, f), "utf8"))) as Record<string, unknown>;
      return {
        name: f,
        inputs: (doc.inputs ?? []) as CheckInput[],
        wantOutputs: (doc.wantOutputs ?? []) as Record<string, unknown>[],
        wantError: doc.wantError === true,
      };
    });
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val && typeof val === "object" && !Array.isArray(val)) {
      return Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return val;
  });
}

/** Differences between an engine output and the expected CheckOutput (empty when equal). */
export function diffOutput(have: CheckOutput, want: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  const eq = (what: string, a: unknown, b: unknown) => {
    if (canonical(a) !== canonical(b)) diffs.push(`${what}: have ${canonical(a)} want ${canonical(b)}`);
  };
  eq("requestId", have.requestId, want.requestId ?? "");
  eq("resourceId", have.resourceId, want.resourceId ?? "");
  const wantActions = (want.actions ?? {}) as Record<string, { effect?: string; policy?: string; scope?: string }>;
  const haveActions = Object.fromEntries(Object.entries(have.actions).map(([k, v]) => [k, { effect: v.effect, policy: v.policy, scope: v.scope ?? "" }]));
  const normWant = Object.fromEntries(Object.entries(wantActions).map(([k, v]) => [k, { effect: v.effect ?? "EFFECT_DENY", policy: v.policy ?? "", scope: v.scope ?? "" }]));
  eq("actions", haveActions, normWant);
  eq("effectiveDerivedRoles", [...have.effectiveDerivedRoles].sort(), [...((want.effectiveDerivedRoles ?? []) as string[])].sort());
  const sortBySrc = <T extends { src?: string }>(l: T[]) => [...l].sort((a, b) => ((a.src ?? "") < (b.src ?? "") ? -1 : (a.src ?? "") > (b.src ?? "") ? 1 : 0));
  const normOut = (o: { src?: string; action?: string; val?: JsonValue; error?: string }) => ({ src: o.src ?? "", action: o.action ?? "", val: o.val ?? null, error: o.error ?? "" });
  eq("outputs", sortBySrc(have.outputs).map(normOut), sortBySrc((want.outputs ?? []) as { src?: string }[]).map(normOut));
  eq("validationErrors", have.validationErrors, want.validationErrors ?? []);
  eq("evaluationErrors", have.evaluationErrors, want.evaluationErrors ?? []);
  return diffs;
}

export const CONFORMANCE_GLOBALS = { environment: "test" };
export const CONFORMANCE_NOW = new Date("2024-01-01T00:00:00Z");

/** Runs every case in `dir` against the conformance store with the given engine settings. */
export function runEngineCases(dir: string, config: Partial<EngineConfig>): CaseResult[] {
  const compiled = compileCerbosDirectory(join(CONFORMANCE_ROOT, "store"), { globals: CONFORMANCE_GLOBALS, ...config });
  if (!compiled.ok) throw new Error(`store does not compile: ${JSON.stringify(compiled.errors.slice(0, 5))}`);
  const ps = compiled.policySet!;
  return loadEngineCases(dir).map((c) => {
    try {
      const outputs = ps.evaluate(c.inputs, { now: new Date() });
      const diffs = outputs.flatMap((o, i) => diffOutput(o, c.wantOutputs[i] ?? {}).map((d) => `input ${i}: ${d}`));
      return { name: c.name, pass: diffs.length === 0 && !c.wantError, diffs };
    } catch (err) {
      return { name: c.name, pass: c.wantError, diffs: [`threw: ${(err as Error).message}`] };
    }
  });
}

/** The engine suites with the settings Cerbos's engine_test.go uses for each. */
export function engineSuites(): { name: string; dir: string; config: Partial<EngineConfig> }[] {
  return [
    { name: "engine", dir: join(CONFORMANCE_ROOT, "engine"), config: {} },
    { name: "engine_strict_scope_search", dir: join(CONFORMANCE_ROOT, "engine_strict_scope_search"), config: {} },
    { name: "engine_lenient_scope_search", dir: join(CONFORMANCE_ROOT, "engine_lenient_scope_search"), config: { lenientScopeSearch: true } },
    { name: "engine_schema_enforcement/warn", dir: join(CONFORMANCE_ROOT, "engine_schema_enforcement/warn"), config: { schemaEnforcement: "warn" } },
    { name: "engine_schema_enforcement/reject", dir: join(CONFORMANCE_ROOT, "engine_schema_enforcement/reject"), config: { schemaEnforcement: "reject" } },
  ];
}
