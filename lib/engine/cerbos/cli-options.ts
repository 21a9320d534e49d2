// Options shared by `check` and `replay`: engine settings Cerbos keeps in its configuration.
import type { CompileError } from "../types.ts";
import type { EngineConfig } from "./api-types.ts";

export const engineOptions = {
  "strict-evaluation": { type: "boolean" },
  "lenient-scope-search": { type: "boolean" },
  "schema-enforcement": { type: "string" },
  "default-policy-version": { type: "string" },
  "default-scope": { type: "string" },
  globals: { type: "string" },
} as const;

export function parseEngineOptions(values: Record<string, string | boolean | undefined>): Partial<EngineConfig> {
  const config: Partial<EngineConfig> = {};
  if (values["strict-evaluation"]) config.strictEvaluation = true;
  if (values["lenient-scope-search"]) config.lenientScopeSearch = true;
  const se = values["schema-enforcement"];
  if (se !== undefined) {
    if (se !== "none" && se !== "warn" && se !== "reject") throw new Error(`--schema-enforcement must be none, warn or reject, not "${se}"`);
    config.schemaEnforcement = se;
  }
  if (typeof values["default-policy-version"] === "string") config.defaultPolicyVersion = values["default-policy-version"];
  if (typeof values["default-scope"] === "string") config.defaultScope = values["default-scope"];
  if (typeof values.globals === "string") {
    let g: unknown;
    try {
      g = JSON.parse(values.globals);
    } catch {
      throw new Error("--globals must be a JSON object");
    }
    if (!g || typeof g !== "object" || Array.isArray(g)) throw new Error("--globals must be a JSON object");
    config.globals = g as EngineConfig["globals"];
  }
  return config;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseNow(s: string): Date | undefined {
  if (!RFC3339.test(s)) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatCompileErrors(errors: CompileError[]): string {
  const lines = errors.map((e) => `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ""}` : ""}: ${e.message}`);
  return [`policies do not compile (${errors.length} error${errors.length === 1 ? "" : "s"}):`, ...lines.map((l) => `  ${l}`)].join("\n");
}
