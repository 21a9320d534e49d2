// OpenID Connect settings from the environment: HINDSIGHT_OIDC_ISSUER, HINDSIGHT_OIDC_CLIENT_ID,
// HINDSIGHT_OIDC_CLIENT_SECRET (and optional HINDSIGHT_OIDC_LABEL). Null when sign-in with OIDC is off.
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
}

export function oidcConfigured(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuer = env.HINDSIGHT_OIDC_ISSUER?.trim();
  const clientId = env.HINDSIGHT_OIDC_CLIENT_ID?.trim();
  if (!issuer || !clientId) return null;
  return { issuer, clientId, clientSecret: env.HINDSIGHT_OIDC_CLIENT_SECRET ?? "", label: env.HINDSIGHT_OIDC_LABEL?.trim() || "single sign-on" };
}
