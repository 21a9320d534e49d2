// The accounts the browser tests use (created by e2e/auth-setup.ts in the throwaway database).
import { readFileSync } from "node:fs";
import path from "node:path";

export const E2E_PASSWORD = "correct horse battery staple";

export const E2E_USERS = [
  { username: "e2e-all", roles: ["investigator", "auditor", "policy_owner", "admin"] },
  { username: "e2e-investigator", roles: ["investigator"] },
  { username: "e2e-auditor", roles: ["auditor"] },
  { username: "e2e-policy-owner", roles: ["policy_owner"] },
  { username: "e2e-admin", roles: ["admin"] },
] as const;

export type E2eRole = "investigator" | "auditor" | "policy_owner" | "admin" | "all";

export function usernameFor(role: E2eRole): string {
  return role === "all" ? "e2e-all" : `e2e-${role.replace("_", "-")}`;
}

export function authStatePath(username: string): string {
  return path.join(import.meta.dirname, ".auth", `${username}.json`);
}

export function csrfPath(username: string): string {
  return path.join(import.meta.dirname, ".auth", `${username}.csrf`);
}

/** Headers for API mutations made with Playwright's `request` fixture as that account. */
export function csrfHeaders(role: E2eRole = "all"): Record<string, string> {
  return { "x-csrf-token": readFileSync(csrfPath(usernameFor(role)), "utf8") };
}
