// Playwright global set-up: creates the e2e accounts (one per role, plus one holding every role for the
// feature specs) in the app's database, signs each in through the real /api/auth/login, and saves its
// cookies as a storage state (e2e/.auth/<user>.json) with its CSRF token beside it.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { request, type FullConfig } from "@playwright/test";
import { createLocalUser } from "../lib/auth/users.ts";
import { csrfTokenFor, SESSION_COOKIE } from "../lib/auth/sessions.ts";
import { E2E_PASSWORD, E2E_USERS, authStatePath, csrfPath } from "./accounts.ts";

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]!.use.baseURL!;
  const dbPort = process.env.E2E_DB_PORT ?? "54341";
  const pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${dbPort}/template1`, max: 1 });
  try {
    const { rows } = await pool.query<{ username: string }>("SELECT username FROM users");
    const existing = new Set(rows.map((r) => r.username));
    for (const u of E2E_USERS) {
      if (!existing.has(u.username)) await createLocalUser(pool, { username: u.username, password: E2E_PASSWORD, roles: u.roles, by: "e2e set-up" });
    }
  } finally {
    await pool.end();
  }
  mkdirSync(path.dirname(authStatePath("x")), { recursive: true });
  for (const u of E2E_USERS) {
    const ctx = await request.newContext({ baseURL });
    const res = await ctx.post("/api/auth/login", { data: { username: u.username, password: E2E_PASSWORD } });
    if (!res.ok()) throw new Error(`e2e sign-in of ${u.username} failed: ${res.status()} ${await res.text()}`);
    const state = await ctx.storageState({ path: authStatePath(u.username) });
    const secret = state.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    if (!secret) throw new Error(`no session cookie for ${u.username}`);
    writeFileSync(csrfPath(u.username), csrfTokenFor(secret));
    await ctx.dispose();
  }
}
