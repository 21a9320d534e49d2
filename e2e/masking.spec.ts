// Sensitive fields in the browser: an investigator opens a demo record, sees the principal's e-mail
// address and the caller's address masked (in the sections, the raw view and the download), is refused
// a reveal without a real reason, reveals the address with one and sees it in place; the admin sees the
// rules on the settings page and gets line-numbered errors for a bad list.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test.use({ storageState: { cookies: [], origins: [] } });

test("an investigator sees a masked value on a demo record and reveals it with a reason", async ({ page }) => {
  await signIn(page, "investigator");

  // The demo's people calling directly carry their e-mail address as a principal attribute.
  await page.goto("/decisions?engine=cerbos&principal=alice");
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  await rows.first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/records\/\d+/);
  const recordId = /\/records\/(\d+)/.exec(page.url())![1];

  // Masked in the sections and in the raw view; the address appears nowhere on the page.
  const rawView = page.getByRole("region", { name: "Raw record" });
  const rawJson = rawView.getByLabel("raw record", { exact: true });
  await expect(rawJson).toContainText('"email": "•••• masked (email)"');
  await expect(page.getByText("alice@acme.example")).toHaveCount(0);
  await expect(page.getByText("•••• masked (ip)").first()).toBeVisible(); // the caller's peer address too

  // The download is the masked copy.
  const raw = await page.request.get(`/records/${recordId}/raw`);
  expect(raw.headers()["content-disposition"]).toContain(".masked.json");
  expect(await raw.text()).not.toContain("alice@acme.example");

  // Reveal asks for a reason; a short one is refused before anything is sent.
  await rawView.getByRole("button", { name: /^Reveal email at \/.*principal\/attr\/email$/ }).first().click(); // a batch check has one per input
  const dialog = page.getByRole("dialog", { name: "Reveal a masked value" });
  await expect(dialog).toContainText("recorded in the audit trail");
  await dialog.getByLabel(/Reason/).fill("because");
  await dialog.getByRole("button", { name: "Reveal", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("at least 10 characters");

  const revealed = page.waitForResponse((r) => r.url().endsWith("/api/reveal") && r.request().method() === "POST");
  await dialog.getByLabel(/Reason/).fill("E2E-1: confirm who made this call");
  await dialog.getByRole("button", { name: "Reveal", exact: true }).click();
  expect((await revealed).status()).toBe(200);
  await expect(dialog).toHaveCount(0);
  await expect(rawJson).toContainText('"email": "alice@acme.example"');
  await expect(rawJson.locator(".revealed")).toHaveText('"alice@acme.example"');
});

test("the admin sees the rules in force and gets line-numbered errors for a bad list", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/settings");
  await expect(page.getByRole("heading", { name: "Sensitive fields" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Built-in masked paths" })).toContainText("**.email");
  const form = page.getByRole("form", { name: "Masked paths" });
  const editor = form.getByRole("textbox");
  await expect(editor).toHaveValue(/\*\*\.email/);
  await editor.fill("@defaults\nprincipal..id\n");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toContainText("Line 2");
  await expect(form.getByRole("alert")).toContainText("empty segment");
});
