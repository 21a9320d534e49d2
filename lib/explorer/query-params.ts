// The explorer's whole view state lives in the URL (filters, sort, cursor, page size) so a link
// reproduces the view. This module is the one place that reads and writes those parameters; it has no
// server dependencies so client components use it too.
import { z } from "zod";
import { decodeCursor, type HopCursor } from "./cursor.ts";

export const EFFECTS = ["allow", "deny", "conditional", "error", "unknown"] as const;
export const ENGINES = ["cerbos", "opa"] as const;

/** Sortable columns: each is backed by a (column, decided_at desc, id desc) index on hops. */
export const SORT_COLUMNS = ["time", "principal", "agent", "action", "kind", "effect", "policy", "pdp"] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = "asc" | "desc";

export interface ExplorerSort {
  column: SortColumn;
  direction: SortDirection;
}

export const DEFAULT_SORT: ExplorerSort = { column: "time", direction: "desc" };
export const DEFAULT_PAGE_SIZE = 50;
export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Filter fields as they appear in the URL, with what each matches. */
export const FILTER_PARAMS = {
  from: "decided at or after (UTC)",
  to: "decided at or before (UTC)",
  engine: "engine",
  pdp: "PDP instance",
  principal: "principal id",
  agent: "acting agent",
  role: "principal role",
  action: "action",
  kind: "resource kind",
  rid: "resource id",
  effect: "effect",
  policy: "deciding policy",
  pv: "policy version",
  ref: "policy source (git commit / bundle revision)",
  q: "free-text search",
} as const;
export type FilterParam = keyof typeof FILTER_PARAMS;
export type ExplorerFilters = Partial<Record<FilterParam, string>>;

export interface ExplorerQuery {
  filters: ExplorerFilters;
  sort: ExplorerSort;
  /** Keyset cursor: rows strictly after (`after`) or strictly before (`before`) this position. */
  after?: HopCursor;
  before?: HopCursor;
  limit: number;
}

const MAX_FILTER_LENGTH = 256;

/** Empty strings mean "no filter": an HTML form submits every field. */
export const optionalText = z
  .string()
  .trim()
  .max(MAX_FILTER_LENGTH, `at most ${MAX_FILTER_LENGTH} characters`)
  .transform((s) => (s === "" ? undefined : s))
  .optional();

// Accepts RFC 3339 with a zone, or a zone-less `YYYY-MM-DDTHH:mm[:ss[.fff]]` (what <input type=datetime-local>
// sends), which is read as UTC: the whole UI shows UTC.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

export function parseUtcDateTime(value: string): Date | null {
  if (!DATE_TIME.test(value)) return null;
  let normalized = value.replace(" ", "T");
  if (!/T/.test(normalized)) normalized += "T00:00";
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(normalized)) normalized += "Z";
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A `limit` URL parameter: 1 to 200 rows, `defaultSize` when absent. */
export function pageSizeParam(defaultSize: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return defaultSize;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 200) {
        ctx.addIssue({ code: "custom", message: "must be a whole number from 1 to 200" });
        return z.NEVER;
      }
      return n;
    });
}

export const dateTimeText = optionalText.refine((v) => v === undefined || parseUtcDateTime(v) !== null, {
  message: "must be a date-time like 2026-11-23T18:00 (UTC) or 2026-11-23T18:00:00Z",
});

/** One of `values`, or absent; "" counts as absent (an unset <select> submits ""). */
function optionalEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(values, { message: `must be one of ${values.join(", ")}` }).optional(),
  );
}

const cursorText = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === "") return undefined;
    const cursor = decodeCursor(v);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "is not a valid page cursor (follow the page links instead of editing it)" });
      return z.NEVER;
    }
    return cursor;
  });

const paramsSchema = z
  .object({
    from: dateTimeText,
    to: dateTimeText,
    engine: optionalEnum(ENGINES),
    pdp: optionalText,
    principal: optionalText,
    agent: optionalText,
    role: optionalText,
    action: optionalText,
    kind: optionalText,
    rid: optionalText,
    effect: optionalEnum(EFFECTS),
    policy: optionalText,
    pv: optionalText,
    ref: optionalText,
    q: optionalText,
    sort: optionalEnum(SORT_COLUMNS),
    dir: optionalEnum(["asc", "desc"] as const),
    after: cursorText,
    before: cursorText,
    limit: pageSizeParam(DEFAULT_PAGE_SIZE),
  })
  .refine((p) => !(p.after && p.before), { message: "use either `after` or `before`, not both", path: ["before"] });

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** URL parameters as one value per key (the first of repeated keys). */
export function toPlainRecord(input: SearchParamsInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) if (!(k in out)) out[k] = v;
    return out;
  }
  // Next passes repeated keys as arrays; the explorer has one value per key, so the first one wins.
  for (const [k, v] of Object.entries(input)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first;
  }
  return out;
}

export type ParseResult = { ok: true; query: ExplorerQuery } | { ok: false; errors: string[]; raw: Record<string, string> };

/** Reads the explorer state from URL parameters; bad values give messages naming the parameter. */
export function parseExplorerParams(input: SearchParamsInput): ParseResult {
  const raw = toPlainRecord(input);
  const result = paramsSchema.safeParse(raw);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      const described = key in FILTER_PARAMS && FILTER_PARAMS[key as FilterParam] !== key;
      return key ? `\`${key}\`${described ? ` (${FILTER_PARAMS[key as FilterParam]})` : ""} ${issue.message}` : issue.message;
    });
    return { ok: false, errors, raw };
  }
  const p = result.data;
  const filters: ExplorerFilters = {};
  for (const key of Object.keys(FILTER_PARAMS) as FilterParam[]) {
    const value = p[key];
    if (value !== undefined) filters[key] = value;
  }
  const column = p.sort ?? DEFAULT_SORT.column;
  const direction = p.dir ?? (column === "time" ? "desc" : "asc");
  return { ok: true, query: { filters, sort: { column, direction }, after: p.after, before: p.before, limit: p.limit } };
}

/** The URL query string for a view; defaults are left out so links stay short. */
export function explorerSearchParams(
  query: { filters: ExplorerFilters; sort?: ExplorerSort; limit?: number },
  cursor?: { after?: string; before?: string },
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(FILTER_PARAMS) as FilterParam[]) {
    const value = query.filters[key];
    if (value) params.set(key, value);
  }
  const sort = query.sort ?? DEFAULT_SORT;
  if (sort.column !== DEFAULT_SORT.column || sort.direction !== DEFAULT_SORT.direction) {
    params.set("sort", sort.column);
    params.set("dir", sort.direction);
  }
  if (query.limit && query.limit !== DEFAULT_PAGE_SIZE) params.set("limit", String(query.limit));
  if (cursor?.after) params.set("after", cursor.after);
  if (cursor?.before) params.set("before", cursor.before);
  return params;
}

export function explorerHref(
  query: { filters: ExplorerFilters; sort?: ExplorerSort; limit?: number },
  cursor?: { after?: string; before?: string },
): string {
  const qs = explorerSearchParams(query, cursor).toString();
  return qs ? `/decisions?${qs}` : "/decisions";
}

export function hasActiveFilters(filters: ExplorerFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined && v !== "");
}
