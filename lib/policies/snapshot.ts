// A policy snapshot is the list of files that make up a policy set, wherever it came from (a
// directory, an archive, a git tree). Which files count follows the Cerbos disk/git store
// (lib/engine/cerbos/policy-loader.ts): .yaml/.yml/.json policies anywhere, JSON schemas under
// `_schemas/`, skipping hidden entries, `testdata/` folders and `*_test.*` suites. The same rule
// everywhere keeps the content hash of one policy set identical across import routes.
import { createHash } from "node:crypto";
import type { PolicySources } from "../engine/cerbos/index.ts";
import type { PolicyFile } from "./types.ts";

const POLICY_EXTENSIONS = [".yaml", ".yml", ".json"];
const SCHEMAS_DIR = "_schemas";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** True when a path (relative to the policy root, forward slashes) belongs in a Cerbos snapshot. */
export function isCerbosSnapshotPath(path: string): boolean {
  const parts = path.split("/");
  if (parts.some((p) => p === "" || p.startsWith("."))) return false;
  const name = parts[parts.length - 1]!.toLowerCase();
  const dirs = parts.slice(0, -1);
  if (dirs.includes("testdata")) return false;
  if (dirs[0] === SCHEMAS_DIR) return name.endsWith(".json");
  const ext = POLICY_EXTENSIONS.find((e) => name.endsWith(e));
  if (!ext) return false;
  return !name.slice(0, -ext.length).endsWith("_test");
}

/** Sorted by path in code-unit order, the order the content hash is defined over. */
export function sortFiles(files: readonly PolicyFile[]): PolicyFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The identity of a snapshot: SHA-256 over the path-sorted lines `<path>\0<sha256 of content>\n`.
 * Independent of file order and of where the files came from.
 */
export function contentHashOf(files: readonly PolicyFile[]): string {
  const seen = new Set<string>();
  const hash = createHash("sha256");
  for (const f of sortFiles(files)) {
    if (seen.has(f.path)) throw new Error(`duplicate path in policy snapshot: ${f.path}`);
    seen.add(f.path);
    hash.update(`${f.path}\0${sha256Hex(f.content)}\n`, "utf8");
  }
  return hash.digest("hex");
}

/** Splits a snapshot into what the Cerbos compiler takes: policies, and schemas keyed below `_schemas/`. */
export function toCerbosSources(files: readonly PolicyFile[]): PolicySources {
  const sources: PolicySources = { policies: [], schemas: [] };
  for (const f of sortFiles(files)) {
    if (f.path.startsWith(`${SCHEMAS_DIR}/`)) sources.schemas.push({ path: f.path.slice(SCHEMAS_DIR.length + 1), text: f.content });
    else sources.policies.push({ path: f.path, text: f.content });
  }
  return sources;
}

/**
 * Removes one folder that every path shares (`policies/a.yaml`, `policies/b.yaml` → `a.yaml`, `b.yaml`),
 * as archives are usually made of a folder. `_schemas` is never stripped: it is meaningful.
 */
export function stripCommonTopFolder<T extends { path: string }>(entries: T[]): T[] {
  if (entries.length === 0) return entries;
  const first = entries[0]!.path.split("/")[0]!;
  if (first === SCHEMAS_DIR) return entries;
  const shared = entries.every((e) => e.path.includes("/") && e.path.split("/")[0] === first);
  return shared ? entries.map((e) => ({ ...e, path: e.path.slice(first.length + 1) })) : entries;
}

/** An OPA bundle is recognised by its `.manifest` or by Rego sources; Cerbos snapshots have neither. */
export function looksLikeOpaBundle(paths: readonly string[]): boolean {
  return paths.some((p) => p === ".manifest" || p.endsWith("/.manifest") || p.toLowerCase().endsWith(".rego"));
}


