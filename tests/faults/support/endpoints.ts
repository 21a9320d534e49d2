// Every ingest endpoint the suite exercises and how each authenticates, in ONE place: when sign-in
// lands (browser uploads then need a session), only this file and explorer.ts's signIn change.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./config.ts";
import { request, type RequestSpec } from "./http.ts";

export type IngestAuth = "bearer" | "session";

export interface IngestEndpoint {
  /** Short name used in reports. */
  name: string;
  path: string;
  /** Bearer ingest token (PDPs, log shippers) or browser session (the upload page). */
  auth: IngestAuth;
  /** What a well-formed body for this endpoint contains. */
  format: "opa-batch" | "cerbos-ndjson" | "any-log-file";
}

export const INGEST_ENDPOINTS: readonly IngestEndpoint[] = [
  { name: "opa", path: "/api/ingest/opa/logs", auth: "bearer", format: "opa-batch" },
  { name: "opa-partition", path: "/api/ingest/opa/logs/faults-partition", auth: "bearer", format: "opa-batch" },
  { name: "cerbos", path: "/api/ingest/cerbos", auth: "bearer", format: "cerbos-ndjson" },
  { name: "upload", path: "/api/ingest/upload?filename=faults.ndjson", auth: "session", format: "any-log-file" },
];

export const endpointNamed = (name: string): IngestEndpoint => {
  const e = INGEST_ENDPOINTS.find((x) => x.name === name);
  if (!e) throw new Error(`no ingest endpoint named ${name}`);
  return e;
};

/**
 * A signed-in browser session: the cookie, and the CSRF token every mutation must echo in x-csrf-token
 * (a browser reads it from the page's <meta name="csrf-token">). null when the app has no sign-in.
 */
export interface Session {
  cookie: string;
  csrf: string;
}

export interface Credentials {
  /** `hst_…` ingest token (lib/ingest/tokens.ts createToken). */
  bearer: string;
  session: Session | null;
}

/** Headers that authenticate a request to `endpoint`. */
export function authHeaders(endpoint: IngestEndpoint, creds: Credentials, baseUrl: string): Record<string, string> {
  if (endpoint.auth === "bearer") return { authorization: `Bearer ${creds.bearer}` };
  // Session requests come from the browser: same-origin Origin header, the cookie and the CSRF token.
  return creds.session ? { cookie: creds.session.cookie, "x-csrf-token": creds.session.csrf, origin: baseUrl } : { origin: baseUrl };
}

/** A POST of `body` to `endpoint` with its credentials; `extra` headers override. */
export function ingestRequest(
  baseUrl: string,
  endpoint: IngestEndpoint,
  creds: Credentials,
  body: Buffer | string,
  extra: Record<string, string> = {},
): RequestSpec {
  return { method: "POST", url: baseUrl + endpoint.path, headers: { ...authHeaders(endpoint, creds, baseUrl), ...extra }, body };
}

/**
 * Liveness: an ingest POST without credentials must be answered 401 by the route handler itself. It
 * needs no database (the token check stops at the missing header), so it tells "the process serves
 * requests" apart from "the database is up". The app has no dedicated health route.
 */
export const HEALTH_CHECK = {
  request: (baseUrl: string): RequestSpec => ({ method: "POST", url: `${baseUrl}/api/ingest/cerbos`, body: "{}" }),
  expectStatus: 401,
};

const INVESTIGATOR = "faults-investigator";

/**
 * Signs in as an investigator (may read the explorer and upload files) the way an operator and a
 * browser would: `hindsight users add <name> --role investigator --password-stdin`, then
 * `POST /api/auth/login` with JSON {username, password} (Set-Cookie), then the CSRF token from a page's
 * <meta name="csrf-token">. Returns null only for a build without sign-in (the login route answers 404);
 * a login that exists but fails fails the suite rather than silently testing unauthenticated.
 */
export async function signIn(baseUrl: string, databaseUrl: string): Promise<Session | null> {
  const probe = await request({ method: "POST", url: `${baseUrl}/api/auth/login`, headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 15_000 });
  if (probe.status === 404) return null;
  const password = `faults-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const cli = spawnSync(process.execPath, [path.join(ROOT, "bin/hindsight.mjs"), "users", "add", INVESTIGATOR, "--role", "investigator", "--password-stdin"], {
    cwd: ROOT,
    input: password + "\n",
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (cli.status !== 0) throw new Error(`\`hindsight users add\` failed (exit ${cli.status}): ${cli.stderr || cli.stdout}`);
  const login = await request({
    method: "POST",
    url: `${baseUrl}/api/auth/login`,
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ username: INVESTIGATOR, password }),
    timeoutMs: 15_000,
  });
  const setCookie = login.headers["set-cookie"] ?? [];
  if (login.status === null || login.status >= 400 || setCookie.length === 0) {
    throw new Error(`sign-in failed: POST /api/auth/login answered ${login.status} ${login.body.slice(0, 300)}`);
  }
  const cookie = setCookie.map((c) => c.split(";")[0]).join("; ");
  const page = await request({ method: "GET", url: `${baseUrl}/decisions`, headers: { cookie, accept: "text/html" }, timeoutMs: 30_000 });
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`signed in, but /decisions answered ${page.status} without a csrf-token meta tag`);
  return { cookie, csrf };
}
