// Rego's textual form of values (OPA's ast String()): used by sprintf %v and error messages.
import { formatNumber } from "./json.ts";
import { RegoSet, type Value } from "./value.ts";

export function regoString(v: Value): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return String(v);
    case "number":
    case "bigint":
      return formatNumber(v);
    case "string":
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return "[" + v.map(regoString).join(", ") + "]";
  if (v instanceof RegoSet) return v.size === 0 ? "set()" : "{" + v.sorted().map(regoString).join(", ") + "}";
  return "{" + [...v.entries()].map(([k, x]) => `${regoString(k)}: ${regoString(x)}`).join(", ") + "}";
}
