// Sign-in, roles and sign-out in the browser: anonymous visitors are sent to sign in, each role sees
// only its sections, pages carry a nonce CSP that the app runs under without violations.
import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, signIn } from "./helpers";

test.use({ storageState: { cookies: [], origins: [] } });

test("anonymous visitors are sent to sign in and come back to the page they asked for", async ({ page }) => {
  await page.goto("/tasks?limit=10");
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel("User name").fill("e2e-investigator");
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("wrong user name or password");
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tasks\?limit=10$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Decisions", "Tasks", "Policies", "Upload"]);
});

test("each role sees its own sections and is refused the others", async ({ page }) => {
  await signIn(page, "policy_owner");
  await expect(page).toHaveURL(/\/trends/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Trends", "Policies", "Impact"]);
  const refused = await page.goto("/decisions");
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByText("records.read")).toBeVisible();

  await signIn(page, "admin");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Audit trail", "Upload", "Users", "Tokens", "Settings"]);
  expect((await page.goto("/tasks"))?.status()).toBe(403);
  expect((await page.goto("/trends"))?.status()).toBe(403);

  await signIn(page, "auditor");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Decisions", "Tasks", "Policies", "Audit trail"]);
  expect((await page.goto("/impact"))?.status()).toBe(403);
});

test("sign-out ends the session on the server", async ({ page }) => {
  await signIn(page, "investigator");
  const cookie = (await page.context().cookies()).find((c) => c.name === "hindsight_session")!;
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe("Lax");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // The old cookie, replayed, no longer opens anything.
  await page.context().addCookies([cookie]);
  const res = await page.request.get("/api/impact/1");
  expect(res.status()).toBe(401);
  await page.goto("/decisions");
  await expect(page).toHaveURL(/\/login/);
});

test("pages run under a nonce CSP without violations, and mutations need the CSRF token", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  await signIn(page, "investigator");
  const res = await page.goto("/decisions");
  const csp = res!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res!.headers()["cache-control"]).toContain("no-store");
  // Hydrated: client navigation works (it would not if the scripts were blocked).
  await page.getByRole("link", { name: "Tasks" }).click();
  await expect(page).toHaveURL(/\/tasks/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);

  const noCsrf = await page.request.post("/api/records/1/replay", { data: { target: "resolved" } });
  expect(noCsrf.status()).toBe(403);
  expect((await noCsrf.json()).error).toContain("CSRF");
  const crossSite = await page.request.post("/api/records/1/replay", { data: { target: "resolved" }, headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error).toContain("cross-site");
});
