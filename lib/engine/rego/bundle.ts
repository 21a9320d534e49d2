// Loads an OPA bundle (a directory or tar.gz with .rego files, data.json/data.yaml and an
// optional .manifest) into modules plus the base data document. Data files sit at the path of
// their directory: `a/b/data.json` becomes data.a.b, as in OPA.
import { parse as parseYaml } from "yaml";
import { fromJs, parseJsonValue } from "./values/json.ts";
import { RegoObject, type Value } from "./values/value.ts";
import type { RegoModuleSource } from "./engine.ts";

export interface BundleFile {
  path: string;
  bytes: Uint8Array;
}

export interface LoadedBundle {
  modules: RegoModuleSource[];
  data: RegoObject;
  revision?: string;
}

export function loadBundleFiles(files: BundleFile[]): LoadedBundle {
  const modules: RegoModuleSource[] = [];
  let data = new RegoObject();
  let revision: string | undefined;
  const text = (f: BundleFile) => new TextDecoder().decode(f.bytes);
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = f.path.replace(/^\.?\//, "");
    const base = path.split("/").pop()!;
    const dir = path.split("/").slice(0, -1).filter(Boolean);
    if (path.endsWith(".rego")) modules.push({ file: path, source: text(f) });
    else if (base === "data.json") data = mergeAt(data, dir, parseJsonValue(text(f)));
    else if (base === "data.yaml" || base === "data.yml") data = mergeAt(data, dir, fromJs(parseYaml(text(f)) as unknown));
    else if (base === ".manifest") {
      const manifest = JSON.parse(text(f)) as { revision?: string };
      revision = manifest.revision;
    }
  }
  return { modules, data, revision };
}

function mergeAt(root: RegoObject, path: string[], value: Value): RegoObject {
  if (path.length === 0) return value instanceof RegoObject ? deepMerge(root, value) : root;
  const out = RegoObject.from(root.entries());
  const child = out.get(path[0]);
  out.set(path[0], mergeAt(child instanceof RegoObject ? child : new RegoObject(), path.slice(1), value));
  return out;
}

function deepMerge(a: RegoObject, b: RegoObject): RegoObject {
  const out = RegoObject.from(a.entries());
  for (const [k, v] of b.entries()) {
    const prev = out.get(k);
    out.set(k, prev instanceof RegoObject && v instanceof RegoObject ? deepMerge(prev, v) : v);
  }
  return out;
}
