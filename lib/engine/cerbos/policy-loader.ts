// Reads a Cerbos policy directory (disk store layout) into source files: policies anywhere in
// the tree, JSON schemas under `_schemas/`. Hidden entries, `testdata` folders and `*_test.*`
// suite files are skipped as Cerbos skips them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface PolicySourceFile {
  /** Path relative to the policy root, with forward slashes. */
  path: string;
  text: string;
}

export interface PolicySources {
  policies: PolicySourceFile[];
  /** Schema files under `_schemas/`, keyed by path relative to `_schemas/` (e.g. `resources/x.json`). */
  schemas: PolicySourceFile[];
}

const POLICY_EXTENSIONS = [".yaml", ".yml", ".json"];
export const SCHEMAS_DIR = "_schemas";

function isPolicyFile(name: string): boolean {
  const lower = name.toLowerCase();
  const ext = POLICY_EXTENSIONS.find((e) => lower.endsWith(e));
  if (!ext) return false;
  return !lower.slice(0, -ext.length).endsWith("_test");
}

function walk(dir: string, visit: (abs: string) => void): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const abs = join(dir, name);
    const st = statSync(abs);
    if (st.isDirectory()) {
      if (name === "testdata") continue;
      walk(abs, visit);
    } else if (st.isFile()) {
      visit(abs);
    }
  }
}

function toSlash(p: string): string {
  return p.split(sep).join("/");
}

/** Loads policies and schemas from a directory. Throws if the directory cannot be read. */
export function loadPolicyDirectory(root: string): PolicySources {
  const policies: PolicySourceFile[] = [];
  const schemas: PolicySourceFile[] = [];
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith(".")) continue;
    const abs = join(root, name);
    const st = statSync(abs);
    if (name === SCHEMAS_DIR && st.isDirectory()) {
      walk(abs, (file) => {
        if (file.toLowerCase().endsWith(".json")) {
          schemas.push({ path: toSlash(relative(abs, file)), text: readFileSync(file, "utf8") });
        }
      });
      continue;
    }
    if (st.isDirectory()) {
      if (name === "testdata") continue;
      walk(abs, (file) => {
        const base = file.slice(file.lastIndexOf(sep) + 1);
        if (isPolicyFile(base)) policies.push({ path: toSlash(relative(root, file)), text: readFileSync(file, "utf8") });
      });
    } else if (st.isFile() && isPolicyFile(name)) {
      policies.push({ path: name, text: readFileSync(abs, "utf8") });
    }
  }
  return { policies, schemas };
}
