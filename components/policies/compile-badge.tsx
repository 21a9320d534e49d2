// Whether a version compiles, as a coloured word (the word carries the meaning).
export function CompileBadge({ errors }: { errors: number }) {
  if (errors === 0) return <span className="effect effect-allow">compiles</span>;
  return <span className="effect effect-deny">{errors === 1 ? "1 compile error" : `${errors} compile errors`}</span>;
}
