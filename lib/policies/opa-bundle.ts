// OPA bundles as policy versions: the bundle's .rego modules and data documents (and .manifest),
// compiled with the embedded Rego engine. A bundle's revision (from .manifest) is the ref decision
// records name in `bundles[*].revision`.
import { loadBundleFiles } from "../engine/rego/bundle.ts";
import { regoEngine, type RegoRequest, type RegoResult } from "../engine/rego/index.ts";
import { toJs } from "../engine/rego/values/json.ts";
import type { CompileError, CompiledPolicySet, JsonValue } from "../engine/types.ts";
import type { PolicyFile } from "./types.ts";

export type RegoPolicySet = CompiledPolicySet<RegoRequest, RegoResult>;

/** Files that belong to an OPA bundle snapshot. */
export function isOpaBundlePath(path: string): boolean {
  const base = path.split("/").pop() ?? "";
  return path.endsWith(".rego") || base === "data.json" || base === "data.yaml" || base === "data.yml" || base === ".manifest";
}

export function bundleRevisionOf(files: readonly PolicyFile[]): string | null {
  const manifest = files.find((f) => f.path === ".manifest");
  if (!manifest) return null;
  try {
    const revision = (JSON.parse(manifest.content) as { revision?: unknown }).revision;
    return typeof revision === "string" && revision !== "" ? revision : null;
  } catch {
    return null;
  }
}

type CompileOutcome = { ok: true; policySet: RegoPolicySet } | { ok: false; errors: CompileError[] };

export function compileOpaBundle(files: readonly PolicyFile[]): CompileOutcome {
  let loaded;
  try {
    loaded = loadBundleFiles(files.map((f) => ({ path: f.path, bytes: new TextEncoder().encode(f.content) })));
  } catch (err) {
    return { ok: false, errors: [{ file: "", message: `bundle data does not load: ${(err as Error).message}` }] };
  }
  if (loaded.modules.length === 0) return { ok: false, errors: [{ file: "", message: "the bundle has no .rego modules" }] };
  const outcome = regoEngine.compile({ modules: loaded.modules, data: toJs(loaded.data) as JsonValue });
  return outcome.ok ? { ok: true, policySet: outcome.policySet } : { ok: false, errors: outcome.errors };
}
