// The demo's OPA bundles: lib/demo/bundles/r41..r43 hold the "agents-authz" bundle of each revision
// in policy-timeline.ts (agents/tools and envoy/authz policies, the tool/agent registry and route
// table). `.manifest` is a template: the revision is seeded, so it is filled in per timeline. The
// generator evaluates these bundles (opa-events.ts); the app imports them as OPA policy versions.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileOpaBundle, type RegoPolicySet } from "../policies/opa-bundle.ts";
import type { DemoPolicyFile } from "./policy-files.ts";
import type { OpaBundleRevision, PolicyTimeline } from "./policy-timeline.ts";

export type OpaGeneration = OpaBundleRevision["generation"];

export interface DemoOpaBundle {
  /** The manifest revision, as decision events name it in `bundles["agents-authz"].revision`. */
  revision: string;
  /** Bundle files (`.manifest`, `.rego`, `data.json`), paths relative to the bundle root. */
  files: DemoPolicyFile[];
}

/** Where lib/demo/bundles is (see policy-files.ts for why there are two candidates). */
function bundlesRoot(): string {
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(fileURLToPath(import.meta.url)), "bundles"));
  } catch {
    // import.meta.url was not a file: URL; fall through to the cwd candidate.
  }
  candidates.push(join(process.cwd(), "lib", "demo", "bundles"));
  const found = candidates.find((c) => existsSync(join(c, "r41")));
  if (!found) throw new Error(`demo OPA bundles not found (looked in ${candidates.join(", ")})`);
  return found;
}

function readTree(root: string, rel = ""): DemoPolicyFile[] {
  const files: DemoPolicyFile[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const relPath = rel ? `${rel}/${name}` : name;
    const abs = join(root, relPath);
    if (statSync(abs).isDirectory()) files.push(...readTree(root, relPath));
    else if (name === ".manifest" || name === "data.json" || name.endsWith(".rego")) files.push({ path: relPath, content: readFileSync(abs, "utf8") });
  }
  return files;
}

const templates = new Map<OpaGeneration, readonly DemoPolicyFile[]>();

/** The files of one generation as shipped (manifest revision still a template), sorted by path. */
function generationFiles(generation: OpaGeneration): readonly DemoPolicyFile[] {
  let files = templates.get(generation);
  if (!files) {
    files = Object.freeze(readTree(join(bundlesRoot(), `r${generation}`)));
    templates.set(generation, files);
  }
  return files;
}

/** One bundle with its manifest naming `revision`. */
export function demoOpaBundle(generation: OpaGeneration, revision: string): DemoOpaBundle {
  const files = generationFiles(generation).map((f) => (f.path === ".manifest" ? { path: f.path, content: f.content.replace("{{revision}}", revision) } : { ...f }));
  return { revision, files };
}

/** The agents-authz bundle of every revision in the timeline, oldest first. */
export function demoOpaBundles(timeline: PolicyTimeline): DemoOpaBundle[] {
  return timeline.opa.map((r) => demoOpaBundle(r.generation, r.revision));
}

/**
 * Writes each bundle into `dir/<revision>/` (for the app's directory import); returns the
 * directories, oldest first.
 */
export function writeDemoOpaBundles(dir: string, bundles: readonly DemoOpaBundle[]): string[] {
  return bundles.map((bundle) => {
    const root = join(dir, bundle.revision);
    for (const f of bundle.files) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.content);
    }
    return root;
  });
}

const compiled = new Map<OpaGeneration, RegoPolicySet>();

/**
 * The compiled bundle of one generation (the revision string changes nothing the policies read),
 * compiled on first use the way the app compiles an imported bundle; throws if the shipped Rego
 * does not compile (a bug).
 */
export function demoOpaPolicySet(generation: OpaGeneration): RegoPolicySet {
  let set = compiled.get(generation);
  if (!set) {
    const outcome = compileOpaBundle(generationFiles(generation));
    if (!outcome.ok) throw new Error(`demo OPA bundle r${generation} does not compile: ${JSON.stringify(outcome.errors)}`);
    set = outcome.policySet;
    compiled.set(generation, set);
  }
  return set;
}
