// Reading the audit trail: filters from the URL, one SQL builder (pure, so its text is testable), keyset
// pages newest first by (at desc, id desc), and a CSV of everything a filter matches.
import type pg from "pg";
import { z } from "zod";
import { fromBase64Url, toBase64Url } from "../explorer/cursor.ts";
import { dateTimeText, optionalText, pageSizeParam, parseUtcDateTime, toPlainRecord, type SearchParamsInput } from "../explorer/query-params.ts";
import { maskJson } from "../masking/mask.ts";
import type { RuleSet } from "../masking/rules.ts";

/** Filter fields as they appear in the URL. Text filters match exactly; a trailing `*` matches a prefix. */
export const AUDIT_FILTER_PARAMS = {
  actor: "who (a user name, or cli:<os user>@<host>)",
  action: "action, e.g. user.create; an area alone (user) or user.* matches all its actions",
  target: "what it was done to (an id, a scope)",
  from: "at or after (UTC)",
  to: "at or before (UTC)",
} as const;
export type AuditFilterParam = keyof typeof AUDIT_FILTER_PARAMS;
export type AuditFilters = Partial<Record<AuditFilterParam, string>>;

export const AUDIT_PAGE_SIZE = 50;

export interface AuditCursor {
  /** `at` as ISO text; the column has millisecond precision, so a JS Date keeps it exactly. */
  at: string;
  /** audit_events.id (bigint) as decimal text. */
  id: string;
}

export interface AuditPage {
  /** Rows strictly older than this position (the next page). */
  after?: AuditCursor;
  /** Rows strictly newer than this position (the previous page). */
  before?: AuditCursor;
  limit: number;
}

export interface AuditEventRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  origin: string | null;
  details: Record<string, unknown>;
}

export interface AuditResult {
  rows: AuditEventRow[];
  /** Cursor for newer rows (null on the first page). */
  prevCursor: string | null;
  /** Cursor for older rows (null when this page reaches the oldest match). */
  nextCursor: string | null;
}

export function encodeAuditCursor(c: AuditCursor): string {
  return toBase64Url(JSON.stringify({ t: c.at, i: c.id }));
}

const cursorSchema = z.object({ t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/), i: z.string().regex(/^\d{1,19}$/) });

export function decodeAuditCursor(encoded: string): AuditCursor | null {
  if (encoded.length > 512) return null;
  const json = fromBase64Url(encoded);
  if (json === null) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(json));
    return parsed.success ? { at: parsed.data.t, id: parsed.data.i } : null;
  } catch {
    return null;
  }
}

const cursorParam = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === "") return undefined;
    const cursor = decodeAuditCursor(v);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "is not a valid page cursor (follow the page links instead of editing it)" });
      return z.NEVER;
    }
    return cursor;
  });

const paramsSchema = z
  .object({
    actor: optionalText,
    action: optionalText,
    target: optionalText,
    from: dateTimeText,
    to: dateTimeText,
    after: cursorParam,
    before: cursorParam,
    limit: pageSizeParam(AUDIT_PAGE_SIZE),
  })
  .refine((p) => !(p.after && p.before), { message: "use either `after` or `before`, not both", path: ["before"] });

export type AuditParamsResult =
  | { ok: true; filters: AuditFilters; page: AuditPage }
  | { ok: false; errors: string[] };

/** Reads the audit view from URL parameters; bad values give messages naming the parameter. */
export function parseAuditParams(input: SearchParamsInput): AuditParamsResult {
  const result = paramsSchema.safeParse(toPlainRecord(input));
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "");
        return key ? `\`${key}\` ${issue.message}` : issue.message;
      }),
    };
  }
  const p = result.data;
  const filters: AuditFilters = {};
  for (const key of Object.keys(AUDIT_FILTER_PARAMS) as AuditFilterParam[]) if (p[key] !== undefined) filters[key] = p[key];
  return { ok: true, filters, page: { after: p.after, before: p.before, limit: p.limit } };
}

/** The URL of a view of the trail (`base` is /audit or /audit/csv); empty values are left out. */
export function auditHref(base: string, filters: AuditFilters, extra: { after?: string; before?: string; limit?: number } = {}): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(AUDIT_FILTER_PARAMS) as AuditFilterParam[]) if (filters[key]) params.set(key, filters[key]!);
  if (extra.limit && extra.limit !== AUDIT_PAGE_SIZE) params.set("limit", String(extra.limit));
  if (extra.after) params.set("after", extra.after);
  if (extra.before) params.set("before", extra.before);
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `column = value`, or a prefix match when the value ends in `*` (`*` alone matches anything). */
function textCondition(column: string, value: string, params: Params): string | null {
  if (!value.endsWith("*")) return `${column} = ${params.add(value)}`;
  const prefix = value.slice(0, -1);
  return prefix ? `starts_with(${column}, ${params.add(prefix)})` : null;
}

/** Actions are "<area>.<verb>": an area alone, "area." or "area.*" means every action of the area. */
function actionCondition(value: string, params: Params): string | null {
  if (!value.includes(".") && !value.endsWith("*")) return `starts_with(action, ${params.add(value + ".")})`;
  if (value.endsWith(".")) return `starts_with(action, ${params.add(value)})`;
  return textCondition("action", value, params);
}

/** The WHERE conditions of a filter (no paging). */
function filterConditions(filters: AuditFilters, params: Params): string[] {
  const conditions: (string | null)[] = [];
  if (filters.actor) conditions.push(textCondition("actor", filters.actor, params));
  if (filters.action) conditions.push(actionCondition(filters.action, params));
  if (filters.target) conditions.push(textCondition("target", filters.target, params));
  const from = filters.from ? parseUtcDateTime(filters.from) : null;
  if (from) conditions.push(`at >= ${params.add(from.toISOString())}::timestamptz`);
  const to = filters.to ? parseUtcDateTime(filters.to) : null;
  if (to) {
    // Like the explorer: a minute-precision "to" (what a datetime-local field sends) includes that whole
    // minute, a date alone that whole day.
    const text = filters.to!.replace(" ", "T");
    const span = /^\d{4}-\d{2}-\d{2}$/.test(text) ? 86_400_000 : /T\d{2}:\d{2}$/.test(text) ? 60_000 : 0;
    conditions.push(
      span > 0 ? `at < ${params.add(new Date(to.getTime() + span).toISOString())}::timestamptz` : `at <= ${params.add(to.toISOString())}::timestamptz`,
    );
  }
  return conditions.filter((c): c is string => c !== null);
}

const SELECT = `SELECT id::text, at, actor, action, target, reason, origin, details FROM audit_events`;

/**
 * One page of the trail. Fetches limit + 1 rows to know whether another page follows. `before` pages are
 * read oldest-first (nearest the cursor first) and reversed by the caller. The keyset condition is written
 * as `at <= t AND (at < t OR id < i)` rather than a row comparison so the (at desc) index bounds the scan.
 */
export function buildAuditQuery(filters: AuditFilters, page: AuditPage): { text: string; values: unknown[] } {
  const params = new Params();
  const conditions = filterConditions(filters, params);
  let order = "at DESC, id DESC";
  if (page.after) {
    const t = params.add(page.after.at);
    const i = params.add(page.after.id);
    conditions.push(`at <= ${t}::timestamptz AND (at < ${t}::timestamptz OR id < ${i}::bigint)`);
  } else if (page.before) {
    const t = params.add(page.before.at);
    const i = params.add(page.before.id);
    conditions.push(`at >= ${t}::timestamptz AND (at > ${t}::timestamptz OR id > ${i}::bigint)`);
    order = "at ASC, id ASC";
  }
  const where = conditions.length ? ` WHERE ${conditions.join(" AND ")}` : "";
  return { text: `${SELECT}${where} ORDER BY ${order} LIMIT ${params.add(page.limit + 1)}`, values: params.values };
}

function toRow(r: Record<string, unknown>): AuditEventRow {
  return {
    id: r.id as string,
    at: r.at as Date,
    actor: r.actor as string,
    action: r.action as string,
    target: (r.target as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    origin: (r.origin as string | null) ?? null,
    details: (r.details as Record<string, unknown> | null) ?? {},
  };
}

const cursorOf = (r: AuditEventRow) => encodeAuditCursor({ at: r.at.toISOString(), id: r.id });

export async function listAuditEvents(pool: pg.Pool | pg.ClientBase, filters: AuditFilters, page: AuditPage): Promise<AuditResult> {
  const { text, values } = buildAuditQuery(filters, page);
  const { rows: raw } = await pool.query(text, values);
  const more = raw.length > page.limit;
  const rows = raw.slice(0, page.limit).map(toRow);
  if (page.before) {
    rows.reverse();
    // Going back towards the newest: older rows exist (the cursor's own page at least).
    return { rows, prevCursor: more && rows.length ? cursorOf(rows[0]) : null, nextCursor: rows.length ? cursorOf(rows[rows.length - 1]) : null };
  }
  return {
    rows,
    prevCursor: page.after && rows.length ? cursorOf(rows[0]) : null,
    nextCursor: more && rows.length ? cursorOf(rows[rows.length - 1]) : null,
  };
}

export const AUDIT_CSV_COLUMNS = ["id", "at", "actor", "action", "target", "reason", "origin", "details"] as const;

// Spreadsheet programs run cells starting with these; an actor or target chosen by a user must not
// become a formula on an auditor's machine.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null): string {
  let text = value ?? "";
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(r: AuditEventRow): string {
  return [r.id, r.at.toISOString(), r.actor, r.action, r.target, r.reason, r.origin, JSON.stringify(r.details)].map(csvCell).join(",");
}

/** Every event a filter matches, newest first, as CSV chunks read page by page (bounded memory). */
export async function* auditCsv(
  pool: pg.Pool,
  filters: AuditFilters,
  pageSize = 2_000,
  mapRow: (row: AuditEventRow) => AuditEventRow = (r) => r,
): AsyncGenerator<string> {
  yield AUDIT_CSV_COLUMNS.join(",") + "\r\n";
  let after: AuditCursor | undefined;
  for (;;) {
    const { text, values } = buildAuditQuery(filters, { after, limit: pageSize - 1 });
    const { rows: raw } = await pool.query(text, values);
    if (raw.length === 0) return;
    const rows = raw.map(toRow);
    yield rows.map((r) => csvLine(mapRow(r))).join("\r\n") + "\r\n";
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { at: last.at.toISOString(), id: last.id };
  }
}

// Parts of an event's details that quote decision data a user typed or selected (search parameters,
// impact filters): they go through the sensitive-field rules like any other view of that data.
const DATA_DETAIL_KEYS = ["query", "filters", "candidate"];

/** The event with its data-bearing details masked by the sensitive-field rules. */
export function maskAuditRow(row: AuditEventRow, rules: RuleSet): AuditEventRow {
  let details = row.details;
  for (const key of DATA_DETAIL_KEYS) {
    if (details[key] === undefined) continue;
    const { value, masked } = maskJson(details[key], rules);
    if (masked.length) details = { ...details, [key]: value };
  }
  return details === row.details ? row : { ...row, details };
}
