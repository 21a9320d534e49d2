// Administration end to end: an admin creates a user and changes their roles, creates a Cerbos-only
// ingest token whose secret is shown once, sees the scope enforced on both ingest endpoints, revokes
// it, and finds all of it in the audit trail; an auditor reads the same trail and downloads it as CSV.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const USERNAME = `e2e-user-${run}`;
const TOKEN_NAME = `e2e-shipper-${run}`;
const PDP = `e2e-cerbos-${run}`;

function cerbosLine(): string {
  return (
    JSON.stringify({
      "log.logger": "cerbos.audit",
      "log.kind": "decision",
      callId: randomUUID(),
      timestamp: new Date().toISOString(),
      checkResources: {
        inputs: [{ requestId: "r", principal: { id: "e2e-admin-spec", roles: ["user"] }, resource: { kind: "document", id: "d" }, actions: ["view"] }],
        outputs: [{ requestId: "r", resourceId: "d", actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.document.vdefault" } } }],
      },
    }) + "\n"
  );
}

test("an admin creates a user and changes their roles", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();

  const form = page.getByRole("form", { name: "Create a local user" });
  await form.getByLabel("User name").fill(USERNAME);
  await form.getByLabel("Display name (optional)").fill("E2E Person");
  await form.getByLabel(/^Initial password \(at least/).fill("a long enough e2e passphrase");
  await form.getByLabel("Initial password again").fill("a long enough e2e passphrase");
  await form.getByLabel("Auditor").check();
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(`Created ${USERNAME}`);

  const row = page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: USERNAME });
  await expect(row).toContainText("Investigator, Auditor");
  await expect(row).toContainText("Local password");
  await expect(row).toContainText("by e2e-admin");
  await expect(row).toContainText("Active");

  await row.getByText("Edit", { exact: true }).click();
  const edit = row.getByRole("form", { name: `Edit ${USERNAME}` });
  await edit.getByLabel("Investigator").uncheck();
  await edit.getByLabel("Policy owner").check();
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("Auditor, Policy owner");

  // The admin's own row cannot be disabled from here.
  const self = page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: "(you)" });
  await expect(self.getByRole("button", { name: "Disable" })).toBeDisabled();
});

test("an admin creates a scoped token (secret shown once), it is enforced, then revoked", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/tokens");
  await expect(page.getByRole("heading", { name: "Ingest tokens", level: 1 })).toBeVisible();

  const form = page.getByRole("form", { name: "Create an ingest token" });
  await form.getByLabel("Name (the PDP or shipper it is for)").fill(TOKEN_NAME);
  await form.getByLabel("PDP instance for Cerbos records (optional)").fill(PDP);
  await form.getByLabel(/OPA decision logs/).uncheck();
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("region", { name: "New token" });
  await expect(shown).toContainText("shown only this once");
  const secret = (await shown.locator("#new-token-secret").textContent())!.trim();
  expect(secret).toMatch(/^hst_[\w-]{43}$/);
  await expect(shown.getByRole("button", { name: "Copy token" })).toBeVisible();
  await expect(shown).not.toContainText("OPA configuration");
  await expect(shown.locator("pre")).toContainText("/api/ingest/cerbos");
  await expect(shown.locator("pre")).toContainText(`Bearer ${secret}`);

  const row = page.getByRole("table", { name: "Ingest tokens" }).getByRole("row").filter({ hasText: TOKEN_NAME });
  await expect(row).toContainText("Cerbos");
  await expect(row).not.toContainText("OPA");
  await expect(row).toContainText(PDP);
  await expect(row).toContainText(secret.slice(0, 10));
  await expect(row).toContainText("never");

  // Hidden on request, and never shown again after a reload.
  await shown.getByRole("button", { name: /hide the token/ }).click();
  await expect(page.getByRole("region", { name: "New token" })).toHaveCount(0);
  await page.reload();
  await expect(page.locator("body")).not.toContainText(secret);

  // The scope on both endpoints: Cerbos accepted, OPA refused with the token's endpoints named.
  const auth = { authorization: `Bearer ${secret}` };
  const cerbos = await page.request.post("/api/ingest/cerbos", { data: cerbosLine(), headers: { ...auth, "content-type": "application/x-ndjson" } });
  expect(cerbos.status()).toBe(200);
  expect(await cerbos.json()).toMatchObject({ accepted: 1 });
  const opa = await page.request.post("/api/ingest/opa/logs", { data: "[]", headers: { ...auth, "content-type": "application/json" } });
  expect(opa.status()).toBe(403);
  expect((await opa.json()).error).toContain(`token "${TOKEN_NAME}" may not push to the opa endpoint (it is scoped to: cerbos)`);

  await page.reload();
  await expect(row).not.toContainText("never");
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: `Revoke ${TOKEN_NAME}` }).click();
  await expect(row).toContainText("Revoked");
  const after = await page.request.post("/api/ingest/cerbos", { data: cerbosLine(), headers: { ...auth, "content-type": "application/x-ndjson" } });
  expect(after.status()).toBe(401);
});

test("the audit trail lists those events, filters them, and downloads them", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/audit?actor=e2e-admin");
  const table = page.getByRole("table", { name: "Audit events" });
  const created = table.getByRole("row").filter({ hasText: "user.create" }).filter({ hasText: USERNAME });
  await expect(created).toHaveCount(1);
  await expect(table.getByRole("row").filter({ hasText: "user.update" }).filter({ hasText: USERNAME })).toContainText("policy_owner");
  await expect(table.getByRole("row").filter({ hasText: "token.create" }).filter({ hasText: TOKEN_NAME })).toContainText("cerbos");
  await expect(table.getByRole("row").filter({ hasText: "token.revoke" }).filter({ hasText: TOKEN_NAME })).toHaveCount(1);

  const filters = page.getByRole("search", { name: "Filter the audit trail" });
  await filters.getByLabel("Action").fill("token");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=token/);
  await expect(table.getByRole("row").filter({ hasText: "user.create" })).toHaveCount(0);
  await expect(table.getByRole("row").filter({ hasText: "token.revoke" }).filter({ hasText: TOKEN_NAME })).toHaveCount(1);
});

test("an auditor reads the same trail and its CSV; an investigator may not", async ({ page, browser }) => {
  await signIn(page, "auditor");
  await page.goto(`/audit?action=token&actor=e2e-admin`);
  await expect(page.getByRole("table", { name: "Audit events" }).getByRole("row").filter({ hasText: TOKEN_NAME })).toHaveCount(2);
  const csv = await page.request.get("/audit/csv?actor=e2e-admin&action=token");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe("id,at,actor,action,target,reason,origin,details");
  expect(text).toContain("token.create");
  expect(text).toContain(TOKEN_NAME);
  expect(text).not.toMatch(/hst_[\w-]{43}/);

  const other = await browser.newPage();
  await signIn(other, "investigator");
  const res = await other.goto("/audit");
  expect(res?.status()).toBe(403);
  await other.close();
});
