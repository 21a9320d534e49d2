// The tasks list's whole view state lives in the URL (filters, page cursor, page size), like the
// explorer's. One place reads and writes it; browser-safe (client components build links with it).
import { z } from "zod";
import { parseUtcDateTime } from "../explorer/query-params.ts";
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

const text = z
  .string()
  .trim()
  .max(256, "at most 256 characters")
  .transform((s) => (s === "" ? undefined : s))
  .optional();

const dateTime = text.refine((v) => v === undefined || parseUtcDateTime(v) !== null, {
  message: "must be a date-time like 2026-11-23T18:00 (UTC) or 2026-11-23T18:00:00Z",
});

const cursorSchema = z.object({
  t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/),
  k: z.string().min(1).max(1024),
});

function toBase64Url(s: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(s)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(s: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

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
  q: text,
  human: text,
  agent: text,
  resource: text,
  flag: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z_]*$/, "must be a flag code like scope_widened")
    .transform((s) => (s === "" ? undefined : s))
    .optional(),
  from: dateTime,
  to: dateTime,
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
  limit: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return DEFAULT_TASK_PAGE_SIZE;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 200) {
        ctx.addIssue({ code: "custom", message: "must be a whole number from 1 to 200" });
        return z.NEVER;
      }
      return n;
    }),
});

type Input = URLSearchParams | Record<string, string | string[] | undefined>;

function plain(input: Input): Record<string, string> {
  const out: Record<string, string> = {};
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) if (!(k in out)) out[k] = v;
    return out;
  }
  for (const [k, v] of Object.entries(input)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first;
  }
  return out;
}

export type TaskListParse = { ok: true; query: TaskListQuery } | { ok: false; errors: string[] };

export function parseTaskListParams(input: Input): TaskListParse {
  const raw = plain(input);
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
