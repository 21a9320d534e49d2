// Turns errors raised by the CEL library (or our extensions) into the messages cel-go gives,
// because Cerbos reports them verbatim in `evaluationErrors`.

/** Error raised by extension functions with a message that is already in cel-go wording. */
export class CelRuntimeError extends Error {}

const VARIABLE_ROOTS = /\b(?:V|variables|C|constants|G|globals)\.([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names read as `V.x`, `C.x`, `G.x` (or the long forms) in an expression. */
export function referencedMapFields(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(VARIABLE_ROOTS)) out.add(m[1]!);
  return out;
}

const MAP_ROOTS = new Set(["V", "variables", "C", "constants", "G", "globals"]);

/** cel-go's runtime type names for the library's type strings (dyn<string> → string). */
function celGoType(t: string): string {
  let x = t.trim();
  while (x.startsWith("dyn<") && x.endsWith(">")) x = x.slice(4, -1);
  if (x.startsWith("list")) return "list";
  if (x.startsWith("map")) return "map";
  if (x === "null") return "null_type";
  return x;
}

// Types that implement cel-go's comparison / arithmetic traits: for these a wrongly typed right
// operand gives a bare "no such overload"; otherwise cel-go names the operator ("_<_").
const COMPARABLE = new Set(["int", "uint", "double", "string", "bool", "bytes", "google.protobuf.Timestamp", "google.protobuf.Duration"]);
const ARITHMETIC: Record<string, Set<string>> = {
  "+": new Set(["int", "uint", "double", "string", "bytes", "list", "google.protobuf.Timestamp", "google.protobuf.Duration"]),
  "-": new Set(["int", "uint", "double", "google.protobuf.Timestamp", "google.protobuf.Duration"]),
  "*": new Set(["int", "uint", "double"]),
  "/": new Set(["int", "uint", "double"]),
  "%": new Set(["int", "uint"]),
};

// cel-go's Lists extension dispatches these itself and answers a wrong receiver type with a
// bare "no such overload" (seen against the real Cerbos).
const BARE_OVERLOAD_FUNCTIONS = new Set(["sort", "sortBy", "slice", "flatten", "distinct", "reverse", "first", "last"]);

function overloadMessage(raw: string): string {
  const bin = /^no such overload: (.+) (<=|>=|<|>|\+|-|\*|\/|%|in|==|!=) (.+)$/.exec(raw);
  if (bin) {
    const left = celGoType(bin[1]!);
    const op = bin[2]!;
    if (op === "<" || op === "<=" || op === ">" || op === ">=") return COMPARABLE.has(left) ? "no such overload" : `no such overload: _${op}_`;
    const traits = ARITHMETIC[op];
    if (traits) return traits.has(left) ? "no such overload" : `no such overload: _${op}_`;
    return "no such overload";
  }
  const call = /^found no matching overload for '(.+)'$/.exec(raw);
  if (call) {
    const m = /^(?:(.+?)\.)?([A-Za-z_][\w]*)\((.*)\)$/.exec(call[1]!);
    if (m) {
      const [, receiver, name, args] = m;
      if (BARE_OVERLOAD_FUNCTIONS.has(name!)) return "no such overload";
      const argTypes = args ? splitTypes(args).map(celGoType) : [];
      if (receiver?.startsWith("cerbos.ns.")) return `no such overload: ${receiver.slice("cerbos.ns.".length)}.${name}(${argTypes.join(", ")})`;
      const all = receiver ? [celGoType(receiver), ...argTypes] : argTypes;
      return `no such overload: ${name!.replace(/^cerbos_/, "")}(${all.join(", ")})`;
    }
  }
  return "no such overload";
}

function splitTypes(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "<") depth++;
    if (ch === ">") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

interface ErrorNode {
  op?: string;
  args?: unknown;
}

/**
 * For a failing field access, the identifier it was made on (`V` in `V.x`), "" when the operand
 * is not an identifier (`R.attr.x`), undefined when the error carries no node.
 */
function selectRoot(err: unknown): string | undefined {
  const node = (err as { node?: ErrorNode } | null)?.node;
  if (!node || (node.op !== "." && node.op !== "[]") || !Array.isArray(node.args)) return undefined;
  const operand = node.args[0] as ErrorNode | undefined;
  return operand?.op === "id" && typeof operand.args === "string" ? operand.args : "";
}

export function normalizeCelError(err: unknown, mapFields: Set<string>, missing: (name: string) => boolean): string {
  if (err instanceof CelRuntimeError) return err.message;
  const raw = err instanceof Error ? err.message.split("\n")[0]! : String(err);
  const noKey = /^No such key: (.*)$/.exec(raw);
  if (noKey) {
    const key = noKey[1]!;
    if (key.startsWith("index out of bounds")) {
      const m = /index (-?\d+) >= size (\d+)|index (-?\d+)/.exec(key);
      const idx = m?.[1] ?? m?.[3] ?? "?";
      return `index out of bounds: ${idx}`;
    }
    // cel-go reports a missing Cerbos variable/constant/global as an undefined message field.
    const root = selectRoot(err);
    if (root !== undefined ? MAP_ROOTS.has(root) : mapFields.has(key) && missing(key)) return `undefined field '${key}'`;
    return `no such key: ${key}`;
  }
  if (/cannot be range of a comprehension/.test(raw)) {
    const t = /of type '([^']+)'/.exec(raw)?.[1] ?? "";
    const goType: Record<string, string> = { string: "types.String", int: "types.Int", double: "types.Double", bool: "types.Bool", uint: "types.Uint", null_type: "types.Null" };
    return `got '${goType[celGoType(t)] ?? t}', expected iterable type`;
  }
  if (/^no such overload|^found no matching overload/.test(raw)) return overloadMessage(raw);
  if (/^division by zero/i.test(raw)) return "division by zero";
  if (/^modulus by zero/i.test(raw)) return "modulus by zero";
  if (/Invalid time zone specified/.test(raw)) return `unknown time zone ${raw.replace(/^.*specified: /, "")}`;
  return raw;
}
