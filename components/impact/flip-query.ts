// The drill-down's URL parameters (shared by the run page and the flips/export routes): direction,
// a dimension with its value, and the keyset position. No server imports: client code uses it too.
import { z } from "zod";

export const DIMENSIONS = ["action", "kind", "principal", "agent", "policy"] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABELS: Record<Dimension, string> = {
  action: "Action",
  kind: "Resource kind",
  principal: "Principal",
  agent: "Acting agent",
  policy: "Deciding policy (as logged)",
};
export const DIRECTIONS = ["allow_to_deny", "deny_to_allow"] as const;
export type Direction = (typeof DIRECTIONS)[number];

const empty = (v: unknown) => (v === "" ? undefined : v);

export const flipQuerySchema = z
  .object({
    direction: z.preprocess(empty, z.enum(DIRECTIONS, { message: `must be one of ${DIRECTIONS.join(", ")}` }).optional()),
    dim: z.preprocess(empty, z.enum(DIMENSIONS, { message: `must be one of ${DIMENSIONS.join(", ")}` }).optional()),
    value: z.string().max(500, "must be at most 500 characters").optional(),
    after: z.preprocess(empty, z.string().regex(/^\d{1,18}$/, "must be a hop id (a number)").optional()),
    limit: z.preprocess(
      empty,
      z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").optional(),
    ),
  })
  .refine((q) => q.value === undefined || q.dim !== undefined, { message: "needs `dim` to say which column the value is for", path: ["value"] });

export type FlipQueryParams = z.infer<typeof flipQuerySchema>;

export function parseFlipQuery(input: Record<string, string | string[] | undefined> | URLSearchParams): { ok: true; query: FlipQueryParams } | { ok: false; error: string } {
  const raw: Record<string, string> = {};
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) if (!(k in raw)) raw[k] = v;
  } else {
    for (const [k, v] of Object.entries(input)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined) raw[k] = first;
    }
  }
  const parsed = flipQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `\`${String(issue.path[0] ?? "query")}\` ${issue.message}` };
  }
  return { ok: true, query: parsed.data };
}

/** The run page URL for a drill-down (dimension filter and direction), without the keyset position. */
export function drillHref(runId: string, q: { direction?: Direction; dim?: Dimension; value?: string }): string {
  const p = new URLSearchParams();
  if (q.direction) p.set("direction", q.direction);
  if (q.dim && q.value !== undefined) {
    p.set("dim", q.dim);
    p.set("value", q.value);
  }
  const qs = p.toString();
  return `/impact/${runId}${qs ? `?${qs}` : ""}#flips`;
}
