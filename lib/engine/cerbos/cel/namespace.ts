// cel-go extension functions such as `sets.contains(a, b)` or `math.greatest(...)` are global
// functions with dotted names. The library parses them as method calls on an identifier, so each
// namespace is a constant of its own type and the functions are methods of that type.
import type { Environment } from "@marcbachmann/cel-js";

export function registerNamespace(env: Environment, name: string): string {
  const typeName = `cerbos.ns.${name}`;
  const ctor = class {};
  Object.defineProperty(ctor, "name", { value: `${name}Namespace` });
  env.registerType(typeName, ctor);
  env.registerConstant(name, typeName, new ctor());
  return typeName;
}
