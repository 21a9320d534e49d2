// The decision effect as a coloured word; the colour is decoration, the word carries the meaning.
const KNOWN = new Set(["allow", "deny", "conditional", "error", "unknown"]);

export function EffectBadge({ effect }: { effect: string }) {
  const variant = KNOWN.has(effect) ? effect : "unknown";
  return <span className={`effect effect-${variant}`}>{effect}</span>;
}
