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
    if (mapFields.has(key) && missing(key)) return `undefined field '${key}'`;
    return `no such key: ${key}`;
  }
  if (/^no such overload|^found no matching overload/.test(raw)) return "no such overload";
  if (/^division by zero/i.test(raw)) return "division by zero";
  if (/^modulus by zero/i.test(raw)) return "modulus by zero";
  if (/Invalid time zone specified/.test(raw)) return `unknown time zone ${raw.replace(/^.*specified: /, "")}`;
  return raw;
}
