// OpenID Connect settings from the environment. `oidcConfigured` is the cheap check the login page uses to
// show the button; `parseOidcSettings` reads and validates everything the sign-in flow needs and throws an
// OidcConfigError naming the variable for any malformed value (the flow refuses to start rather than
// guess). Pure: the environment is an explicit input.
import { isRole, ROLES, type Role } from "./roles.ts";

/** The environment (process.env, or a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
}

export type TokenAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface OidcFlowSettings extends OidcSettings {
  /** Absolute callback URL registered at the provider; null = derived from the request's origin. */
  redirectUrl: string | null;
  /** openid email profile plus HINDSIGHT_OIDC_SCOPES, deduplicated, in request order. */
  scopes: string[];
  /** Claim holding the user's IdP groups or roles (a claim name, or a dotted path such as realm_access.roles). */
  rolesClaim: string | null;
  /** IdP claim value → Hindsight roles. */
  roleMap: Map<string, Role[]>;
  /** Roles every OIDC user gets: at creation (no roles claim) or at every sign-in (with one). */
  defaultRoles: Role[];
  /** null = chosen from the provider's metadata (client_secret_basic when offered, else client_secret_post). */
  tokenAuthMethod: TokenAuthMethod | null;
  /** Plain-http issuer allowed (loopback issuers always are; others only with HINDSIGHT_OIDC_ALLOW_HTTP=1). */
  allowHttp: boolean;
}

export class OidcConfigError extends Error {}

const BASE_SCOPES = ["openid", "email", "profile"];
const TOKEN_AUTH_METHODS: readonly TokenAuthMethod[] = ["client_secret_basic", "client_secret_post", "none"];

export function oidcConfigured(env: Env = process.env): OidcSettings | null {
  const issuer = env.HINDSIGHT_OIDC_ISSUER?.trim();
  const clientId = env.HINDSIGHT_OIDC_CLIENT_ID?.trim();
  if (!issuer || !clientId) return null;
  return { issuer, clientId, clientSecret: env.HINDSIGHT_OIDC_CLIENT_SECRET ?? "", label: env.HINDSIGHT_OIDC_LABEL?.trim() || "single sign-on" };
}

/** Everything the sign-in flow needs; null when OIDC is off; throws OidcConfigError for a malformed value. */
export function parseOidcSettings(env: Env = process.env): OidcFlowSettings | null {
  const base = oidcConfigured(env);
  if (!base) {
    if (env.HINDSIGHT_OIDC_ISSUER?.trim() && !env.HINDSIGHT_OIDC_CLIENT_ID?.trim()) {
      throw new OidcConfigError("HINDSIGHT_OIDC_CLIENT_ID is required when HINDSIGHT_OIDC_ISSUER is set");
    }
    return null;
  }
  const allowHttp = env.HINDSIGHT_OIDC_ALLOW_HTTP?.trim() === "1";
  const issuer = parseIssuer(base.issuer, allowHttp);
  const rolesClaim = env.HINDSIGHT_OIDC_ROLES_CLAIM?.trim() || null;
  const roleMapText = env.HINDSIGHT_OIDC_ROLE_MAP?.trim() || "";
  const roleMap = parseRoleMap(roleMapText);
  if (rolesClaim && roleMap.size === 0) {
    throw new OidcConfigError(
      `HINDSIGHT_OIDC_ROLES_CLAIM is set ("${rolesClaim}") but HINDSIGHT_OIDC_ROLE_MAP is empty: give the mapping, e.g. hindsight-admins=admin,hindsight-auditors=auditor`,
    );
  }
  if (!rolesClaim && roleMap.size > 0) {
    throw new OidcConfigError("HINDSIGHT_OIDC_ROLE_MAP is set but HINDSIGHT_OIDC_ROLES_CLAIM is not: name the claim that carries the values (e.g. groups or roles)");
  }
  const method = env.HINDSIGHT_OIDC_TOKEN_AUTH_METHOD?.trim() || null;
  if (method && !TOKEN_AUTH_METHODS.includes(method as TokenAuthMethod)) {
    throw new OidcConfigError(`HINDSIGHT_OIDC_TOKEN_AUTH_METHOD must be one of ${TOKEN_AUTH_METHODS.join(", ")} (got "${method}")`);
  }
  if (method && method !== "none" && !base.clientSecret) {
    throw new OidcConfigError(`HINDSIGHT_OIDC_TOKEN_AUTH_METHOD is ${method} but HINDSIGHT_OIDC_CLIENT_SECRET is empty`);
  }
  return {
    ...base,
    issuer,
    redirectUrl: parseRedirectUrl(env.HINDSIGHT_OIDC_REDIRECT_URL),
    scopes: parseScopes(env.HINDSIGHT_OIDC_SCOPES),
    rolesClaim,
    roleMap,
    defaultRoles: parseRoleList(env.HINDSIGHT_OIDC_DEFAULT_ROLES ?? "", "HINDSIGHT_OIDC_DEFAULT_ROLES"),
    tokenAuthMethod: (method as TokenAuthMethod | null) ?? (base.clientSecret ? null : "none"),
    allowHttp,
  };
}

function parseIssuer(text: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OidcConfigError(`HINDSIGHT_OIDC_ISSUER must be an absolute URL such as https://idp.example.com/realms/main (got "${text}")`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OidcConfigError(`HINDSIGHT_OIDC_ISSUER must be an https URL (got "${text}")`);
  }
  if (url.protocol === "http:" && !allowHttp && !isLoopback(url.hostname)) {
    throw new OidcConfigError(
      `HINDSIGHT_OIDC_ISSUER must use https (got "${text}"); plain http is accepted for loopback issuers, or anywhere with HINDSIGHT_OIDC_ALLOW_HTTP=1 (development only)`,
    );
  }
  if (url.search || url.hash) throw new OidcConfigError(`HINDSIGHT_OIDC_ISSUER must not have a query or fragment (got "${text}")`);
  if (url.pathname.includes("/.well-known/")) {
    throw new OidcConfigError(
      `HINDSIGHT_OIDC_ISSUER is the issuer URL, not the discovery document: drop "${url.pathname.slice(url.pathname.indexOf("/.well-known/"))}" (got "${text}")`,
    );
  }
  // The issuer is compared exactly with the provider's metadata, so keep it as written (a trailing
  // slash matters to some providers, e.g. Okta without one, Auth0 with one).
  return text;
}

export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function parseRedirectUrl(text: string | undefined): string | null {
  const value = text?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OidcConfigError(`HINDSIGHT_OIDC_REDIRECT_URL must be an absolute URL such as https://hindsight.example.com/api/auth/oidc/callback (got "${value}")`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new OidcConfigError(`HINDSIGHT_OIDC_REDIRECT_URL must be an http(s) URL (got "${value}")`);
  if (url.pathname !== "/api/auth/oidc/callback") {
    throw new OidcConfigError(`HINDSIGHT_OIDC_REDIRECT_URL must end in /api/auth/oidc/callback, the path Hindsight answers on (got "${value}")`);
  }
  if (url.search || url.hash) throw new OidcConfigError(`HINDSIGHT_OIDC_REDIRECT_URL must not have a query or fragment (got "${value}")`);
  return url.href;
}

/** HINDSIGHT_OIDC_SCOPES: extra scopes, separated by spaces or commas. */
export function parseScopes(text: string | undefined): string[] {
  const extra = (text ?? "").split(/[\s,]+/).filter(Boolean);
  for (const scope of extra) {
    // RFC 6749 scope-token: printable ASCII except space, double quote and backslash.
    if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) throw new OidcConfigError(`HINDSIGHT_OIDC_SCOPES: "${scope}" is not a valid scope name`);
  }
  return [...new Set([...BASE_SCOPES, ...extra])];
}

/** A comma-separated list of Hindsight roles. */
export function parseRoleList(text: string, variable: string): Role[] {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!isRole(name)) throw new OidcConfigError(`${variable}: unknown role "${name}" (roles are: ${ROLES.join(", ")})`);
  }
  return sortRoles(names as Role[]);
}

/**
 * HINDSIGHT_OIDC_ROLE_MAP: `idp-value=role` pairs separated by commas (or newlines); a value may map to
 * several roles (`admins=admin,admins=auditor`). The pair splits at its last "=", so values containing
 * "=" work; for values containing commas (LDAP DNs) give a JSON object instead:
 * {"cn=ops,ou=groups": ["admin", "auditor"]}.
 */
export function parseRoleMap(text: string): Map<string, Role[]> {
  const out = new Map<string, Role[]>();
  const add = (value: string, role: string, where: string) => {
    if (!value) throw new OidcConfigError(`HINDSIGHT_OIDC_ROLE_MAP: ${where} has an empty IdP value before "="`);
    if (!isRole(role)) throw new OidcConfigError(`HINDSIGHT_OIDC_ROLE_MAP: ${where} maps to unknown role "${role}" (roles are: ${ROLES.join(", ")})`);
    out.set(value, sortRoles([...(out.get(value) ?? []), role]));
  };
  const trimmed = text.trim();
  if (!trimmed) return out;
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new OidcConfigError(`HINDSIGHT_OIDC_ROLE_MAP: not valid JSON (${(err as Error).message})`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new OidcConfigError("HINDSIGHT_OIDC_ROLE_MAP: the JSON form must be an object of IdP value → role or list of roles");
    for (const [value, roles] of Object.entries(parsed as Record<string, unknown>)) {
      const list = Array.isArray(roles) ? roles : [roles];
      if (list.length === 0) throw new OidcConfigError(`HINDSIGHT_OIDC_ROLE_MAP: "${value}" maps to no role`);
      for (const role of list) {
        if (typeof role !== "string") throw new OidcConfigError(`HINDSIGHT_OIDC_ROLE_MAP: "${value}" must map to a role name or a list of role names`);
        add(value, role.trim(), `"${value}"`);
      }
    }
    return out;
  }
  const entries = trimmed.split(/[,\n]/).map((s) => s.trim());
  entries.forEach((entry, i) => {
    if (!entry) return;
    const where = `entry ${i + 1} ("${entry}")`;
    const eq = entry.lastIndexOf("=");
    if (eq < 0) throw new OidcConfigError(`HINDSIGHT_OIDC_ROLE_MAP: ${where} must look like idp-value=role`);
    add(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim(), where);
  });
  return out;
}

function sortRoles(roles: Role[]): Role[] {
  return [...new Set(roles)].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
}

/**
 * The values of the roles claim: a list of strings, or one string (some providers send a lone group as a
 * string; it is one value, spaces and all). The
 * name is tried as written first (claim names may contain dots, e.g. "https://example.com/roles"), then
 * as a dotted path into nested objects (Keycloak's realm_access.roles). Absent → no values.
 */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), claims);
  }
  if (typeof value === "string") return value ? [value] : [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** Roles from the IdP claim through the map, plus the default roles. */
export function rolesFromClaims(claims: Record<string, unknown>, settings: Pick<OidcFlowSettings, "rolesClaim" | "roleMap" | "defaultRoles">): Role[] {
  const roles: Role[] = [...settings.defaultRoles];
  if (settings.rolesClaim) for (const value of claimValues(claims, settings.rolesClaim)) roles.push(...(settings.roleMap.get(value) ?? []));
  return sortRoles(roles);
}
