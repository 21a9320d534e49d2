// Sign-in with OpenID Connect: the authorization-code flow with PKCE (S256), state and nonce, for any
// provider given by its issuer URL. openid-client does the protocol checks (issuer, audience, signature,
// nonce, expiry of the ID token; the iss response parameter; the code exchange); this module keeps the
// flow's state between the two legs (oidc-flow-cookie.ts), maps the identity to a user (oidc-users.ts),
// opens the session and records the outcome in the audit trail. Every failure sends the browser back to
// /login with a message that says what went wrong.
import * as client from "openid-client";
import type pg from "pg";
import { recordAuditEvent } from "../audit/trail.ts";
import { isDatabaseUnavailable } from "../ingest/http.ts";
import { CLIENT_HEADER } from "./context.ts";
import { isLoopback, OidcConfigError, type Env, parseOidcSettings, rolesFromClaims, type OidcFlowSettings } from "./oidc-config.ts";
import { clearFlowCookie, flowCookie, FlowCookieError, openFlow, readFlowCookie, sealFlow, type OidcFlow } from "./oidc-flow-cookie.ts";
import { OidcAccountError, provisionOidcUser } from "./oidc-users.ts";
import { safeNext } from "./safe-next.ts";
import { isSecureRequest } from "./secure.ts";
import { createSession, sessionCookie } from "./sessions.ts";

export const CALLBACK_PATH = "/api/auth/oidc/callback";

/** A sign-in that cannot go on; `message` is shown to the user on the login page. */
export class OidcSignInError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

// ---- discovery (once per process and configuration; a failure is not cached, so the next try retries)

// On globalThis so every route bundle of the process shares one discovery (see oidc-flow-cookie.ts).
const shared = globalThis as unknown as { hindsightOidcConfigurations?: Map<string, Promise<client.Configuration>> };
const configurations = (shared.hindsightOidcConfigurations ??= new Map());

export function oidcClient(settings: OidcFlowSettings): Promise<client.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret, settings.tokenAuthMethod, settings.allowHttp]);
  let found = configurations.get(key);
  if (!found) {
    found = discover(settings);
    configurations.set(key, found);
    found.catch(() => configurations.delete(key));
  }
  return found;
}

/** Forgets discovered providers (tests; or after changing the provider's configuration at runtime). */
export function forgetOidcDiscovery(): void {
  configurations.clear();
}

async function discover(settings: OidcFlowSettings): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === "http:" && (settings.allowHttp || isLoopback(issuer.hostname));
  try {
    return await client.discovery(issuer, settings.clientId, settings.clientSecret ? { client_secret: settings.clientSecret } : undefined, clientAuth(settings), {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
  } catch (err) {
    throw new OidcSignInError(discoveryProblem(settings.issuer, err), { stage: "discovery" });
  }
}

/** The token endpoint authentication: as configured, or the provider's first choice between basic and post. */
function clientAuth(settings: OidcFlowSettings): client.ClientAuth {
  const secret = settings.clientSecret;
  switch (settings.tokenAuthMethod) {
    case "none":
      return client.None();
    case "client_secret_basic":
      return client.ClientSecretBasic(secret);
    case "client_secret_post":
      return client.ClientSecretPost(secret);
    default: {
      const basic = client.ClientSecretBasic(secret);
      const post = client.ClientSecretPost(secret);
      return (as, c, body, headers) => {
        // RFC 8414: when the metadata lists no methods, client_secret_basic is the default.
        const offered = as.token_endpoint_auth_methods_supported;
        const usePost = Array.isArray(offered) && !offered.includes("client_secret_basic") && offered.includes("client_secret_post");
        return (usePost ? post : basic)(as, c, body, headers);
      };
    }
  }
}

function discoveryProblem(issuer: string, err: unknown): string {
  const where = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const cause = causeMessage(err);
  if (isNetworkError(err)) return `cannot reach the OpenID provider at ${issuer} (${cause}); check HINDSIGHT_OIDC_ISSUER and the network`;
  const code = (err as { code?: string }).code;
  if (code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED") {
    const published = publishedIssuer(err);
    return `the OpenID provider's metadata at ${where} names a different issuer${published ? ` (${published})` : ""} than HINDSIGHT_OIDC_ISSUER (${issuer}); set HINDSIGHT_OIDC_ISSUER to the "issuer" value it publishes`;
  }
  if (code === "OAUTH_RESPONSE_IS_NOT_CONFORM") return `the OpenID provider's discovery document at ${where} could not be read (${httpStatusOf(err) ?? "unexpected HTTP status"}); check HINDSIGHT_OIDC_ISSUER`;
  if (code === "OAUTH_RESPONSE_IS_NOT_JSON" || code === "OAUTH_PARSE_ERROR") return `the OpenID provider's discovery document at ${where} is not JSON; check HINDSIGHT_OIDC_ISSUER`;
  return `the OpenID provider's metadata at ${where} is invalid (${cause})`;
}

/** The issuer a provider's discovery document names (openid-client keeps the body in the error's cause chain). */
function publishedIssuer(err: unknown): string | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const body = (e as { body?: { issuer?: unknown } }).body;
    if (typeof body?.issuer === "string") return body.issuer.slice(0, 200);
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function isNetworkError(err: unknown): boolean {
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return true;
  const name = (err as { name?: string })?.name;
  return name === "TimeoutError" || name === "AbortError";
}

function causeMessage(err: unknown): string {
  let e: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  // The innermost cause says the most (ECONNREFUSED, the failed comparison…).
  for (let i = 0; i < 4 && e instanceof Error && e.cause; i++) {
    e = e.cause;
    if (e instanceof Error && e.message) message = e.message;
    else if (e && typeof e === "object" && "code" in e) message = String((e as { code: unknown }).code);
  }
  return message;
}

function httpStatusOf(err: unknown): string | null {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Response ? `HTTP ${cause.status}` : null;
}

// ---- leg 1: send the browser to the provider

/** The callback URL: HINDSIGHT_OIDC_REDIRECT_URL, or this request's origin (as the browser saw it) + the callback path. */
export function redirectUriFor(req: Request, settings: Pick<OidcFlowSettings, "redirectUrl">): string {
  if (settings.redirectUrl) return settings.redirectUrl;
  const url = new URL(req.url);
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.slice(0, -1);
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || url.host;
  if ((proto !== "http" && proto !== "https") || !/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host)) {
    throw new OidcSignInError("cannot work out this site's address for the callback; set HINDSIGHT_OIDC_REDIRECT_URL");
  }
  return `${proto}://${host}${CALLBACK_PATH}`;
}

export async function startOidcSignIn(req: Request, env: Env = process.env): Promise<Response> {
  const next = safeNext(new URL(req.url).searchParams.get("next"));
  const secure = isSecureRequest(req);
  try {
    const settings = requireSettings(env);
    const config = await oidcClient(settings);
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      redirectUri: redirectUriFor(req, settings),
      issuer: settings.issuer,
      next,
    };
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: flow.redirectUri,
      scope: settings.scopes.join(" "),
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    return redirect(authorizationUrl.href, [flowCookie(await sealFlow(flow), secure)]);
  } catch (err) {
    const message = userMessage(err);
    if (!(err instanceof OidcSignInError)) console.error("OIDC sign-in could not start:", err);
    else console.error(`OIDC sign-in could not start: ${message}`);
    return redirect(loginUrl(message, next), []);
  }
}

// ---- leg 2: the provider sends the browser back

export async function finishOidcSignIn(req: Request, pool: pg.Pool, env: Env = process.env): Promise<Response> {
  const secure = isSecureRequest(req);
  const origin = req.headers.get(CLIENT_HEADER);
  const userAgent = req.headers.get("user-agent");
  let flow: OidcFlow | null = null;
  let settings: OidcFlowSettings | null = null;
  try {
    settings = requireSettings(env);
    flow = await readFlow(req);
    if (flow.issuer !== settings.issuer) throw new OidcSignInError("the single sign-on configuration changed during the sign-in; please sign in again");
    const params = new URL(req.url).searchParams;
    if (params.get("state") !== flow.state) {
      throw new OidcSignInError("the provider's response does not belong to this sign-in (state mismatch); please sign in again", { stage: "state" });
    }
    const providerError = params.get("error");
    if (providerError) {
      const description = params.get("error_description")?.slice(0, 200);
      throw new OidcSignInError(
        providerError === "access_denied"
          ? `${settings.label} refused the sign-in${description ? `: ${description}` : " (cancelled or not allowed)"}`
          : `${settings.label} returned an error: ${providerError}${description ? ` (${description})` : ""}`,
        { stage: "authorization", error: providerError },
      );
    }
    if (!params.get("code")) throw new OidcSignInError("the provider's response has no authorization code; please sign in again", { stage: "authorization" });

    const config = await oidcClient(settings);
    const claims = await exchangeCode(config, settings, flow, params);
    const identity = identityOf(claims, settings);
    const user = await provisionOidcUser(pool, identity, origin);
    const session = await createSession(pool, user.id, { method: "oidc", origin, userAgent });
    await recordAuditEvent(pool, {
      actor: user.username,
      action: "auth.sign_in",
      target: user.id,
      origin,
      details: { method: "oidc", issuer: identity.issuer, subject: identity.subject, newUser: user.created, roles: user.roles, userAgent: userAgent?.slice(0, 200) },
    });
    return redirect(flow.next, [sessionCookie(session.secret, { secure }), clearFlowCookie(secure)]);
  } catch (err) {
    const ours = err instanceof OidcSignInError || err instanceof OidcAccountError || err instanceof FlowCookieError || err instanceof OidcConfigError;
    if (!ours && isDatabaseUnavailable(err)) {
      return redirect(loginUrl("the database is unavailable; try again shortly", flow?.next), [clearFlowCookie(secure)]);
    }
    const message = userMessage(err);
    if (!ours) console.error("OIDC sign-in failed:", err);
    await recordAuditEvent(pool, {
      actor: err instanceof OidcAccountError ? err.username : "anonymous",
      action: "auth.sign_in_failed",
      target: err instanceof OidcAccountError ? err.userId : null,
      reason: message,
      origin,
      details: { method: "oidc", issuer: settings?.issuer ?? null, ...(err instanceof OidcSignInError ? err.details : {}), userAgent: userAgent?.slice(0, 200) },
    }).catch((auditErr) => console.error("could not record a failed OIDC sign-in:", auditErr));
    return redirect(loginUrl(message, flow?.next), [clearFlowCookie(secure)]);
  }
}

function requireSettings(env: Env): OidcFlowSettings {
  let settings: OidcFlowSettings | null;
  try {
    settings = parseOidcSettings(env);
  } catch (err) {
    if (err instanceof OidcConfigError) throw new OidcSignInError(`single sign-on is misconfigured: ${err.message}`, { stage: "configuration" });
    throw err;
  }
  if (!settings) throw new OidcSignInError("single sign-on is not configured here; sign in with a user name and password", { stage: "configuration" });
  return settings;
}

async function readFlow(req: Request): Promise<OidcFlow> {
  const value = readFlowCookie(req.headers.get("cookie"));
  if (!value) {
    throw new OidcSignInError("the sign-in expired or was started in another browser (no sign-in cookie came back); please sign in again", { stage: "state" });
  }
  try {
    return await openFlow(value);
  } catch (err) {
    if (err instanceof FlowCookieError) throw new OidcSignInError(err.message, { stage: "state" });
    throw err;
  }
}

/** Exchanges the code and returns the verified ID token's claims, completed from userinfo when a needed claim is not in the ID token. */
async function exchangeCode(config: client.Configuration, settings: OidcFlowSettings, flow: OidcFlow, params: URLSearchParams): Promise<Record<string, unknown>> {
  // The token request must carry the redirect URI the authorization request used, which openid-client
  // takes from the URL it is given: rebuild it from the stored one rather than from this request (a
  // proxy may have rewritten the host or scheme).
  const currentUrl = new URL(flow.redirectUri);
  for (const [k, v] of params) currentUrl.searchParams.append(k, v);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    throw new OidcSignInError(tokenProblem(err, settings), { stage: "token", code: (err as { code?: string }).code ?? null });
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new OidcSignInError("the provider returned no ID token", { stage: "token" });
  let claims: Record<string, unknown> = { ...idClaims };
  const missingRoles = settings.rolesClaim !== null && !hasClaim(claims, settings.rolesClaim);
  const missingName = typeof claims.preferred_username !== "string" && typeof claims.email !== "string";
  if ((missingRoles || missingName) && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
    try {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      // The signed ID token wins where both have a claim.
      claims = { ...info, ...claims };
    } catch (err) {
      throw new OidcSignInError(`could not read your profile from the provider's userinfo endpoint (${causeMessage(err)})`, { stage: "userinfo" });
    }
  }
  return claims;
}

function hasClaim(claims: Record<string, unknown>, name: string): boolean {
  if (name in claims) return true;
  if (!name.includes(".")) return false;
  let node: unknown = claims;
  for (const key of name.split(".")) {
    if (!node || typeof node !== "object" || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function tokenProblem(err: unknown, settings: OidcFlowSettings): string {
  if (err instanceof client.ResponseBodyError) {
    const hint = err.error === "invalid_client" ? " — check HINDSIGHT_OIDC_CLIENT_ID and HINDSIGHT_OIDC_CLIENT_SECRET" : "";
    return `${settings.label} refused the code exchange: ${err.error}${err.error_description ? ` (${err.error_description})` : ""}${hint}`;
  }
  if (err instanceof client.WWWAuthenticateChallengeError) {
    // A 401 with a challenge instead of a JSON error body (e.g. a rejected client_secret_basic).
    const p = err.cause[0]?.parameters ?? {};
    const error = p.error ?? `HTTP ${err.status}`;
    const hint = err.status === 401 || error === "invalid_client" ? " — check HINDSIGHT_OIDC_CLIENT_ID and HINDSIGHT_OIDC_CLIENT_SECRET" : "";
    return `${settings.label} refused the code exchange: ${error}${p.error_description ? ` (${p.error_description})` : ""}${hint}`;
  }
  if (err instanceof client.AuthorizationResponseError) {
    return `${settings.label} returned an error: ${err.error}${err.error_description ? ` (${err.error_description})` : ""}`;
  }
  if (isNetworkError(err)) return `cannot reach the OpenID provider at ${settings.issuer} to finish the sign-in (${causeMessage(err)})`;
  const code = (err as { code?: string }).code;
  if (code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" || code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" || code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED") {
    return `the ID token was rejected: ${causeMessage(err)}`;
  }
  return `the sign-in response could not be verified: ${causeMessage(err)}`;
}

function identityOf(claims: Record<string, unknown>, settings: OidcFlowSettings) {
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const issuer = str(claims.iss);
  const subject = str(claims.sub);
  if (!issuer || !subject) throw new OidcSignInError("the ID token has no issuer or subject", { stage: "token" });
  const composed = [str(claims.given_name), str(claims.family_name)].filter(Boolean).join(" ");
  return {
    issuer,
    subject,
    usernameHint: str(claims.preferred_username) ?? str(claims.email) ?? subject,
    displayName: str(claims.name) ?? (composed || null),
    roles: rolesFromClaims(claims, settings),
    syncRoles: settings.rolesClaim !== null,
  };
}

// ---- responses

function userMessage(err: unknown): string {
  if (err instanceof OidcSignInError || err instanceof OidcAccountError || err instanceof FlowCookieError) return err.message;
  if (err instanceof OidcConfigError) return `single sign-on is misconfigured: ${err.message}`;
  return "the sign-in failed unexpectedly (see the server log); please try again";
}

function loginUrl(message: string, next: string | undefined): string {
  const q = new URLSearchParams({ error: `Sign-in failed: ${message}`.slice(0, 300) });
  if (next && next !== "/") q.set("next", next);
  return `/login?${q}`;
}

/** 303 with a relative Location for our own pages (correct behind any proxy), absolute for the provider. */
function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}
