// The demo's Cerbos policy history as files: lib/demo/policies/v1..v3 hold the policy root of each
// of the three commits in policy-timeline.ts. Read once per version and kept; the generator
// compiles them (cerbos-policies.ts) and the history export (policy-history.ts) ships them.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type DemoPolicyVersion = 1 | 2 | 3;

export interface DemoPolicyFile {
  /** Path relative to the policy root (the repository's `policies/` subdirectory), forward slashes. */
  path: string;
  content: string;
}

/**
 * Where lib/demo/policies is. Next.js (webpack) rewrites import.meta.url to the source file's URL, so
 * the first candidate works from tsx, vitest and a local server build; the cwd fallback covers
 * bundles where the module URL is unusable (the app runs from the repository root).
 */
function policiesRoot(): string {
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(fileURLToPath(import.meta.url)), "policies"));
  } catch {
    // import.meta.url was not a file: URL; fall through to the cwd candidate.
  }
  candidates.push(join(process.cwd(), "lib", "demo", "policies"));
  const found = candidates.find((c) => existsSync(join(c, "v1")));
  if (!found) throw new Error(`demo policies not found (looked in ${candidates.join(", ")})`);
  return found;
}

function readTree(root: string, rel = ""): DemoPolicyFile[] {
  const files: DemoPolicyFile[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    if (name.startsWith(".")) continue;
    const relPath = rel ? `${rel}/${name}` : name;
    const abs = join(root, relPath);
    if (statSync(abs).isDirectory()) files.push(...readTree(root, relPath));
    else if (/\.ya?ml$/.test(name)) files.push({ path: relPath, content: readFileSync(abs, "utf8") });
  }
  return files;
}

const cache = new Map<DemoPolicyVersion, readonly DemoPolicyFile[]>();

/** The policy files of one version, sorted by path. */
export function demoPolicyFiles(version: DemoPolicyVersion): readonly DemoPolicyFile[] {
  let files = cache.get(version);
  if (!files) {
    files = Object.freeze(readTree(join(policiesRoot(), `v${version}`)));
    cache.set(version, files);
  }
  return files;
}
