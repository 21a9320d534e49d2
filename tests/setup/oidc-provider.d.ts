// The slice of oidc-provider's API the OIDC sign-in tests use (the package ships no types; this avoids
// a dev dependency on @types/oidc-provider for one test file).
declare module "oidc-provider" {
  import type { RequestListener } from "node:http";

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Configuration {
    clients?: Record<string, unknown>[];
    jwks?: { keys: Record<string, unknown>[] };
    cookies?: { keys?: string[] };
    ttl?: Record<string, number>;
    scopes?: string[];
    claims?: Record<string, string[] | null>;
    features?: Record<string, unknown>;
    conformIdTokenClaims?: boolean;
    findAccount?(ctx: unknown, id: string): Promise<Account | undefined> | Account | undefined;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): RequestListener;
  }
}
