// The tasks list's whole view state lives in the URL (filters, page cursor, page size), like the
// explorer's. One place reads and writes it; browser-safe (client components build links with it).
import { z } from "zod";
import { fromBase64Url, toBase64Url } from "../explorer/cursor.ts";
import { dateTimeText, optionalText, pageSizeParam, parseUtcDateTime, type SearchParamsInput, toPlainRecord } from "../explorer/query-params.ts";
import type { TaskCursor, TaskFilters } from "../tasks/queries.ts";

export const TASK_FILTER_PARAMS = {
  q: "free-text search",
  human: "initiating human",
  agent: "actor (agent)",
  resource: "tool or resource (kind:id, kind or id)",
  flag: "flag code",
  from: "active at or after (UTC)",
  to: "active at or before (UTC)",
} as const;
export type TaskFilterParam = keyof typeof TASK_FILTER_PARAMS;
export type TaskListFilters = Partial<Record<TaskFilterParam, string>>;

export const DEFAULT_TASK_PAGE_SIZE = 50;

export interface TaskListQuery {
  filters: TaskListFilters;
  after?: TaskCursor;
  limit: number;
}

const cursorSchema = z.object({
  t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/),
  k: z.string().min(1).max(1024),
});

export function encodeTaskCursor(c: TaskCursor): string {
  return toBase64Url(JSON.stringify({ t: c.lastAt, k: c.taskKey }));
}

export function decodeTaskCursor(s: string): TaskCursor | null {
  const json = fromBase64Url(s);
  if (json === null) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(json));
    return parsed.success ? { lastAt: parsed.data.t, taskKey: parsed.data.k } : null;
  } catch {
    return null;
  }
}

const schema = z.object({
  q: optionalText,
  human: optionalText,
  agent: optionalText,
  resource: optionalText,
  flag: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z_]*$/, "must be a flag code like scope_widened")
    .transform((s) => (s === "" ? undefined : s))
    .optional(),
  from: dateTimeText,
  to: dateTimeText,
  after: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const c = decodeTaskCursor(v);
      if (!c) {
        ctx.addIssue({ code: "custom", message: "is not a valid page cursor (follow the page links instead of editing it)" });
        return z.NEVER;
      }
      return c;
    }),
  limit: pageSizeParam(DEFAULT_TASK_PAGE_SIZE),
});

export type TaskListParse = { ok: true; query: TaskListQuery } | { ok: false; errors: string[] };

export function parseTaskListParams(input: SearchParamsInput): TaskListParse {
  const raw = toPlainRecord(input);
  const keys = [...Object.keys(TASK_FILTER_PARAMS), "after", "limit"];
  const result = schema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => keys.includes(k))));
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((i) => {
        const key = String(i.path[0] ?? "");
        const what = key in TASK_FILTER_PARAMS ? ` (${TASK_FILTER_PARAMS[key as TaskFilterParam]})` : "";
        return key ? `\`${key}\`${what} ${i.message}` : i.message;
      }),
    };
  }
  const { after, limit, ...rest } = result.data;
  const filters: TaskListFilters = {};
  for (const key of Object.keys(TASK_FILTER_PARAMS) as TaskFilterParam[]) if (rest[key]) filters[key] = rest[key];
  return { ok: true, query: { filters, after, limit } };
}

/** URL filters → listTasks filters. `to` given as a date or minute covers that whole day or minute. */
export function toTaskFilters(f: TaskListFilters): TaskFilters {
  const out: TaskFilters = {};
  if (f.q) out.q = f.q;
  if (f.human) out.human = f.human;
  if (f.agent) out.agent = f.agent;
  if (f.resource) out.resource = f.resource;
  if (f.flag) out.flag = f.flag;
  if (f.from) out.from = parseUtcDateTime(f.from) ?? undefined;
  if (f.to) {
    const to = parseUtcDateTime(f.to);
    if (to) {
      const t = f.to.replace(" ", "T");
      const extra = /^\d{4}-\d{2}-\d{2}$/.test(t) ? 86_400_000 - 1 : /T\d{2}:\d{2}$/.test(t) ? 59_999 : 0;
      out.to = new Date(to.getTime() + extra);
    }
  }
  return out;
}

export function taskListHref(query: { filters: TaskListFilters; limit?: number }, after?: TaskCursor | null): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(TASK_FILTER_PARAMS) as TaskFilterParam[]) {
    const v = query.filters[key];
    if (v) params.set(key, v);
  }
  if (query.limit && query.limit !== DEFAULT_TASK_PAGE_SIZE) params.set("limit", String(query.limit));
  if (after) params.set("after", encodeTaskCursor(after));
  const qs = params.toString();
  return qs ? `/tasks?${qs}` : "/tasks";
}

/** Path of a task's timeline page (task keys contain ':' and may contain '/'). */
export function taskHref(taskKey: string, hopId?: string): string {
  return `/tasks/${encodeURIComponent(taskKey)}${hopId ? `?hop=${encodeURIComponent(hopId)}` : ""}`;
}
