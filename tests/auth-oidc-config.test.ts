// Unit: OIDC settings from the environment, claim → role mapping, user-name candidates, the flow cookie,
// the callback URL and the shared same-site `next` check. No database, no provider.
import { describe, expect, it } from "vitest";
import { claimValues, OidcConfigError, parseOidcSettings, parseRoleMap, parseScopes, rolesFromClaims } from "../lib/auth/oidc-config.ts";
import { clearFlowCookie, flowCookie, flowKey, openFlow, readFlowCookie, sealFlow, type OidcFlow } from "../lib/auth/oidc-flow-cookie.ts";
import { redirectUriFor } from "../lib/auth/oidc.ts";
import { usernameCandidates, usernameFromHint } from "../lib/auth/oidc-users.ts";
import { safeNext } from "../lib/auth/safe-next.ts";
import { EncryptJWT } from "jose";

const base = { HINDSIGHT_OIDC_ISSUER: "https://idp.example.com/realms/main", HINDSIGHT_OIDC_CLIENT_ID: "hindsight", HINDSIGHT_OIDC_CLIENT_SECRET: "s3cret" };

function settingsError(env: Record<string, string>): string {
  try {
    parseOidcSettings({ ...base, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(OidcConfigError);
    return (err as Error).message;
  }
  throw new Error("expected an OidcConfigError");
}

describe("parseOidcSettings", () => {
  it("is off without issuer and client id, and reads a full configuration", () => {
    expect(parseOidcSettings({})).toBeNull();
    const s = parseOidcSettings({
      ...base,
      HINDSIGHT_OIDC_LABEL: "Keycloak",
      HINDSIGHT_OIDC_SCOPES: "groups, offline_access openid",
      HINDSIGHT_OIDC_ROLES_CLAIM: "groups",
      HINDSIGHT_OIDC_ROLE_MAP: "hs-admins=admin, hs-admins=auditor,hs-inv=investigator",
      HINDSIGHT_OIDC_DEFAULT_ROLES: "investigator",
      HINDSIGHT_OIDC_REDIRECT_URL: "https://hindsight.example.com/api/auth/oidc/callback",
    })!;
    expect(s).toMatchObject({
      issuer: "https://idp.example.com/realms/main",
      clientId: "hindsight",
      label: "Keycloak",
      scopes: ["openid", "email", "profile", "groups", "offline_access"],
      rolesClaim: "groups",
      defaultRoles: ["investigator"],
      redirectUrl: "https://hindsight.example.com/api/auth/oidc/callback",
      tokenAuthMethod: null,
      allowHttp: false,
    });
    expect(Object.fromEntries(s.roleMap)).toEqual({ "hs-admins": ["auditor", "admin"], "hs-inv": ["investigator"] });
  });

  it("uses no client authentication without a secret (public client with PKCE)", () => {
    expect(parseOidcSettings({ ...base, HINDSIGHT_OIDC_CLIENT_SECRET: "" })!.tokenAuthMethod).toBe("none");
    expect(parseOidcSettings({ ...base, HINDSIGHT_OIDC_TOKEN_AUTH_METHOD: "client_secret_post" })!.tokenAuthMethod).toBe("client_secret_post");
  });

  it("accepts plain http only for loopback issuers or with HINDSIGHT_OIDC_ALLOW_HTTP=1", () => {
    expect(parseOidcSettings({ ...base, HINDSIGHT_OIDC_ISSUER: "http://127.0.0.1:8080/realms/dev" })!.issuer).toBe("http://127.0.0.1:8080/realms/dev");
    expect(parseOidcSettings({ ...base, HINDSIGHT_OIDC_ISSUER: "http://localhost:8080" })).not.toBeNull();
    expect(settingsError({ HINDSIGHT_OIDC_ISSUER: "http://keycloak:8080/realms/dev" })).toMatch(/must use https.*HINDSIGHT_OIDC_ALLOW_HTTP=1/);
    expect(parseOidcSettings({ ...base, HINDSIGHT_OIDC_ISSUER: "http://keycloak:8080/realms/dev", HINDSIGHT_OIDC_ALLOW_HTTP: "1" })!.allowHttp).toBe(true);
  });

  it("names the variable and the problem for every malformed value", () => {
    expect(settingsError({ HINDSIGHT_OIDC_ISSUER: "idp.example.com" })).toMatch(/HINDSIGHT_OIDC_ISSUER must be an absolute URL/);
    expect(settingsError({ HINDSIGHT_OIDC_ISSUER: "https://idp.example.com/.well-known/openid-configuration" })).toMatch(/issuer URL, not the discovery document/);
    expect(settingsError({ HINDSIGHT_OIDC_CLIENT_ID: "" })).toMatch(/HINDSIGHT_OIDC_CLIENT_ID is required/);
    expect(settingsError({ HINDSIGHT_OIDC_REDIRECT_URL: "/callback" })).toMatch(/HINDSIGHT_OIDC_REDIRECT_URL must be an absolute URL/);
    expect(settingsError({ HINDSIGHT_OIDC_REDIRECT_URL: "https://h.example.com/oidc" })).toMatch(/must end in \/api\/auth\/oidc\/callback/);
    expect(settingsError({ HINDSIGHT_OIDC_ROLES_CLAIM: "groups" })).toMatch(/HINDSIGHT_OIDC_ROLE_MAP is empty/);
    expect(settingsError({ HINDSIGHT_OIDC_ROLE_MAP: "a=admin" })).toMatch(/HINDSIGHT_OIDC_ROLES_CLAIM is not/);
    expect(settingsError({ HINDSIGHT_OIDC_DEFAULT_ROLES: "investigator, root" })).toMatch(/HINDSIGHT_OIDC_DEFAULT_ROLES: unknown role "root"/);
    expect(settingsError({ HINDSIGHT_OIDC_TOKEN_AUTH_METHOD: "private_key_jwt" })).toMatch(/must be one of client_secret_basic, client_secret_post, none/);
    expect(settingsError({ HINDSIGHT_OIDC_CLIENT_SECRET: "", HINDSIGHT_OIDC_TOKEN_AUTH_METHOD: "client_secret_basic" })).toMatch(/CLIENT_SECRET is empty/);
    expect(() => parseScopes('groups "quoted"')).toThrow('HINDSIGHT_OIDC_SCOPES: ""quoted"" is not a valid scope name');
  });
});

describe("parseRoleMap", () => {
  it("reads pairs separated by commas or newlines, splitting at the last '='", () => {
    const map = parseRoleMap("admins=admin\n auditors = auditor ,cn=ops=policy_owner,");
    expect(Object.fromEntries(map)).toEqual({ admins: ["admin"], auditors: ["auditor"], "cn=ops": ["policy_owner"] });
  });

  it("reads the JSON form for values with commas", () => {
    const map = parseRoleMap('{"cn=ops,ou=groups,dc=example": ["admin", "auditor"], "readers": "investigator"}');
    expect(Object.fromEntries(map)).toEqual({ "cn=ops,ou=groups,dc=example": ["auditor", "admin"], readers: ["investigator"] });
  });

  it("explains malformed maps", () => {
    const err = (text: string) => {
      try {
        parseRoleMap(text);
      } catch (e) {
        expect(e).toBeInstanceOf(OidcConfigError);
        return (e as Error).message;
      }
      throw new Error("expected an error");
    };
    expect(err("admins=admin,justaname")).toBe('HINDSIGHT_OIDC_ROLE_MAP: entry 2 ("justaname") must look like idp-value=role');
    expect(err("admins=root")).toMatch(/entry 1 \("admins=root"\) maps to unknown role "root" \(roles are: investigator, auditor, policy_owner, admin\)/);
    expect(err("=admin")).toMatch(/entry 1 \("=admin"\) has an empty IdP value/);
    expect(err("{nope")).toMatch(/not valid JSON/);
    expect(err('["admin"]')).toMatch(/entry 1 \("\["admin"\]"\) must look like idp-value=role/);
    expect(err('{"a": "admin"')).toMatch(/not valid JSON/);
    expect(err('{"a": []}')).toMatch(/"a" maps to no role/);
    expect(err('{"a": 3}')).toMatch(/"a" must map to a role name/);
  });
});

describe("claim → roles", () => {
  const settings = { rolesClaim: "groups", roleMap: parseRoleMap("hs-admins=admin,hs-admins=auditor,hs-inv=investigator"), defaultRoles: [] };

  it("maps every known value, ignores the others, sorts and deduplicates", () => {
    expect(rolesFromClaims({ groups: ["other", "hs-inv", "hs-admins", "hs-inv"] }, settings)).toEqual(["investigator", "auditor", "admin"]);
    expect(rolesFromClaims({ groups: ["other"] }, settings)).toEqual([]);
    expect(rolesFromClaims({}, settings)).toEqual([]);
  });

  it("adds the default roles", () => {
    expect(rolesFromClaims({ groups: ["hs-inv"] }, { ...settings, defaultRoles: ["policy_owner"] })).toEqual(["investigator", "policy_owner"]);
  });

  it("reads a lone string, a dotted path, and claim names that contain dots", () => {
    expect(claimValues({ groups: "hs admins" }, "groups")).toEqual(["hs admins"]);
    expect(claimValues({ realm_access: { roles: ["a", 3, "b"] } }, "realm_access.roles")).toEqual(["a", "b"]);
    expect(claimValues({ "https://example.com/roles": ["x"] }, "https://example.com/roles")).toEqual(["x"]);
    expect(claimValues({ groups: { nested: true } }, "groups")).toEqual([]);
  });
});

describe("user names for new OIDC users", () => {
  it("keeps allowed characters, replaces others, and offers distinct fallbacks", () => {
    expect(usernameFromHint("alice@example.com")).toBe("alice@example.com");
    expect(usernameFromHint("Jane Doe (ops)")).toBe("Jane_Doe__ops_");
    expect(usernameFromHint("   ")).toBe("oidc-user");
    expect(usernameFromHint("x".repeat(300)).length).toBeLessThanOrEqual(92);
    expect(usernameCandidates("bob", 4)).toEqual(["bob", "bob-sso", "bob-sso-2", "bob-sso-3"]);
  });
});

describe("flow cookie", () => {
  const flow: OidcFlow = { state: "st", nonce: "no", codeVerifier: "the-pkce-verifier", redirectUri: "https://h.example/api/auth/oidc/callback", issuer: "https://idp", next: "/tasks" };

  it("round-trips, hides its contents, and is scoped, httpOnly and Lax", async () => {
    const value = await sealFlow(flow);
    expect(value).not.toContain("the-pkce-verifier");
    expect(Buffer.from(value.split(".")[3], "base64url").toString()).not.toContain("the-pkce-verifier");
    expect(await openFlow(value)).toEqual(flow);
    expect(flowCookie(value, true)).toBe(`hindsight_oidc_flow=${value}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600; Secure`);
    expect(clearFlowCookie(false)).toBe("hindsight_oidc_flow=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0");
    expect(readFlowCookie(`a=b; hindsight_oidc_flow=${value}; c=d`)).toBe(value);
    expect(readFlowCookie("a=b")).toBeNull();
  });

  it("refuses another key, an altered value and an expired flow", async () => {
    const value = await sealFlow(flow);
    await expect(openFlow(value, new Uint8Array(32))).rejects.toThrow(/could not be verified/);
    // Flip the first character of the ciphertext (the last one of a part may only carry padding bits).
    const parts = value.split(".");
    parts[3] = (parts[3][0] === "A" ? "B" : "A") + parts[3].slice(1);
    await expect(openFlow(parts.join("."))).rejects.toThrow(/could not be verified/);
    const old = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new EncryptJWT({ ...flow }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).setIssuedAt(old).setExpirationTime(old + 600).encrypt(flowKey());
    await expect(openFlow(expired)).rejects.toThrow(/longer than 10 minutes/);
  });

  it("derives the key from HINDSIGHT_SESSION_SECRET (same secret, same key) and refuses a short one", () => {
    const secret = "a-secret-of-at-least-thirty-two-characters";
    expect(flowKey({ HINDSIGHT_SESSION_SECRET: secret })).toEqual(flowKey({ HINDSIGHT_SESSION_SECRET: secret }));
    expect(flowKey({ HINDSIGHT_SESSION_SECRET: secret })).not.toEqual(flowKey({}));
    expect(() => flowKey({ HINDSIGHT_SESSION_SECRET: "short" })).toThrow(/at least 32 characters/);
  });
});

describe("callback URL", () => {
  it("is the configured one, or this request's origin as the browser saw it", () => {
    const fixed = "https://h.example.com/api/auth/oidc/callback";
    expect(redirectUriFor(new Request("http://internal:3000/api/auth/oidc/start"), { redirectUrl: fixed })).toBe(fixed);
    expect(redirectUriFor(new Request("http://localhost:3000/api/auth/oidc/start"), { redirectUrl: null })).toBe("http://localhost:3000/api/auth/oidc/callback");
    const proxied = new Request("http://internal:3000/api/auth/oidc/start", { headers: { "x-forwarded-proto": "https", "x-forwarded-host": "hindsight.example.com" } });
    expect(redirectUriFor(proxied, { redirectUrl: null })).toBe("https://hindsight.example.com/api/auth/oidc/callback");
    const garbage = new Request("http://internal:3000/x", { headers: { "x-forwarded-host": "evil.example/path?" } });
    expect(() => redirectUriFor(garbage, { redirectUrl: null })).toThrow(/set HINDSIGHT_OIDC_REDIRECT_URL/);
  });
});

describe("safeNext", () => {
  it("keeps same-site paths and refuses everything else", () => {
    expect(safeNext("/decisions?effect=deny#top")).toBe("/decisions?effect=deny#top");
    expect(safeNext("/a/../tasks")).toBe("/tasks");
    for (const bad of [undefined, "", "decisions", "https://evil.example", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "\\\\evil", "javascript:alert(1)", 42]) {
      expect(safeNext(bad), String(bad)).toBe("/");
    }
  });
});
