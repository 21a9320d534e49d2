// Shared by the e2e specs: the fixture file and a way to make sure it is stored (uploads are idempotent).
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { csrfHeaders, E2E_PASSWORD, usernameFor, type E2eRole } from "./accounts.ts";

export { csrfHeaders, E2E_PASSWORD, usernameFor, type E2eRole };

export const FIXTURE = path.join(import.meta.dirname, "fixtures", "cerbos-zebra.ndjson");
/** The distinctive principal of the fixture: 3 decisions (6 hops) and 1 access entry. */
export const PRINCIPAL = "e2e-zebra-auditor";
export const FIXTURE_HOPS = 6;
export const FIXTURE_RECORDS = 4;

export async function ensureFixtureIngested(request: APIRequestContext): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  const res = await request.post("/api/ingest/upload?filename=cerbos-zebra.ndjson", {
    data: await readFile(FIXTURE),
    headers: { "content-type": "application/octet-stream", ...csrfHeaders() },
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.accepted + body.duplicate).toBe(FIXTURE_RECORDS);
}

/** Signs the page in as the e2e account of a role through the sign-in form (after signing out any session). */
export async function signIn(page: Page, role: E2eRole): Promise<void> {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("User name").fill(usernameFor(role));
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}
