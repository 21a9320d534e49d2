// Every page, route handler and server action the app serves, with what each requires. The proxy
// (proxy.ts) enforces this table on every request and refuses anything it does not list, and
// tests/auth/routes.test.ts fails when a file under app/ has no entry here (or an entry has no file).
import type { Permission } from "./roles.ts";

/** What a request must carry. */
export type Access =
  | { kind: "public" }
  | { kind: "signed-in" }
  | { kind: "permission"; permission: Permission }
  /** A bearer ingest token scoped to this endpoint (checked by the handler, which needs the token's PDP). */
  | { kind: "ingest-token"; endpoint: "opa" | "cerbos" };

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteSpec {
  /** The app-router path, brackets included: "/records/[id]", "/api/ingest/opa/logs/[[...partition]]". */
  path: string;
  /** "page" for page.tsx (GET only), "api" for route.ts. */
  type: "page" | "api";
  methods: Partial<Record<Method, Access>>;
}

const PUBLIC: Access = { kind: "public" };
const SIGNED_IN: Access = { kind: "signed-in" };
const need = (permission: Permission): Access => ({ kind: "permission", permission });

const page = (path: string, access: Access | Permission): RouteSpec => ({
  path,
  type: "page",
  methods: { GET: typeof access === "string" ? need(access) : access },
});
const api = (path: string, methods: Partial<Record<Method, Access | Permission>>): RouteSpec => ({
  path,
  type: "api",
  methods: Object.fromEntries(
    Object.entries(methods).map(([m, a]) => [m, typeof a === "string" ? need(a) : a]),
  ) as RouteSpec["methods"],
});

export const ROUTES: readonly RouteSpec[] = [
  // Sign-in and first-run set-up.
  page("/login", PUBLIC),
  page("/setup", PUBLIC), // the handler also requires the set-up code printed at start while no user exists
  api("/api/auth/login", { POST: PUBLIC }),
  api("/api/auth/logout", { POST: SIGNED_IN }),
  api("/api/auth/setup", { POST: PUBLIC }),
  api("/api/auth/oidc/start", { GET: PUBLIC }),
  api("/api/auth/oidc/callback", { GET: PUBLIC }),
  api("/api/health", { GET: PUBLIC }),
  page("/", SIGNED_IN),
  page("/account", SIGNED_IN),
  api("/api/account/password", { POST: SIGNED_IN }),

  // Investigation.
  page("/decisions", "records.read"),
  page("/records/[id]", "records.read"),
  api("/records/[id]/raw", { GET: "records.read" }),
  page("/tasks", "records.read"),
  page("/tasks/[key]", "records.read"),
  api("/api/records/[id]/replay", { POST: "records.replay" }),
  api("/api/reveal", { POST: "sensitive.reveal" }),

  // Evidence.
  api("/api/evidence/export", { POST: "evidence.export" }),

  // Policy owners.
  page("/trends", "trends.read"),
  page("/policies", "policies.read"),
  page("/policies/[id]", "policies.read"),
  page("/policies/diff", "policies.read"),
  api("/api/policies/import", { POST: "policies.import" }),
  page("/impact", "impact.read"),
  page("/impact/[runId]", "impact.read"),
  api("/api/impact", { POST: "impact.run" }),
  api("/api/impact/[runId]", { GET: "impact.read" }),
  api("/api/impact/[runId]/cancel", { POST: "impact.run" }),
  api("/api/impact/[runId]/csv", { GET: "impact.read" }),
  api("/api/impact/[runId]/json", { GET: "impact.read" }),
  api("/api/impact/[runId]/flips", { GET: "impact.read" }),

  // Ingest.
  page("/ingest", "records.upload"),
  api("/api/ingest/upload", { POST: "records.upload" }),
  api("/api/ingest/cerbos", { POST: { kind: "ingest-token", endpoint: "cerbos" } }),
  api("/api/ingest/opa/logs/[[...partition]]", { POST: { kind: "ingest-token", endpoint: "opa" } }),

  // Administration and the audit trail.
  page("/audit", "audit.read"),
  api("/audit/csv", { GET: "audit.read" }),
  page("/admin/users", "users.manage"),
  page("/admin/tokens", "tokens.manage"),
  page("/admin/settings", "settings.manage"),
  api("/api/admin/users", { POST: "users.manage" }),
  api("/api/admin/users/[id]", { PATCH: "users.manage" }),
  api("/api/admin/tokens", { POST: "tokens.manage" }),
  api("/api/admin/tokens/[id]/revoke", { POST: "tokens.manage" }),
  api("/api/admin/settings", { PUT: "settings.manage" }),
];

interface CompiledRoute {
  spec: RouteSpec;
  regex: RegExp;
  /** Static segments count first, so /policies/diff wins over /policies/[id]. */
  specificity: number;
}

function compile(spec: RouteSpec): CompiledRoute {
  const segments = spec.path.split("/").filter(Boolean);
  let source = "";
  let specificity = 0;
  for (const seg of segments) {
    if (/^\[\[\.\.\.\w+\]\]$/.test(seg)) source += "(?:/.+)?";
    else if (/^\[\.\.\.\w+\]$/.test(seg)) source += "/.+";
    else if (/^\[\w+\]$/.test(seg)) {
      source += "/[^/]+";
      specificity += 1;
    } else {
      source += "/" + seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      specificity += 100;
    }
  }
  return { spec, regex: new RegExp(`^${source || "/"}/?$`), specificity };
}

const COMPILED = ROUTES.map(compile).sort((a, b) => b.specificity - a.specificity);

/** The route a request path belongs to, or null when the app declares no such route. */
export function matchRoute(pathname: string): RouteSpec | null {
  for (const route of COMPILED) if (route.regex.test(pathname)) return route.spec;
  return null;
}

/** What a request needs: null when the path or the method is not declared (the proxy refuses it). */
export function accessFor(pathname: string, method: string): { route: RouteSpec; access: Access | null } | null {
  const route = matchRoute(pathname);
  if (!route) return null;
  const m = (method === "HEAD" ? "GET" : method.toUpperCase()) as Method;
  return { route, access: route.methods[m] ?? null };
}
