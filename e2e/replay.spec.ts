import { csrfHeaders } from "./helpers";
// Replay and impact analysis end to end: import two versions of a fixture policy set through the
// /policies form, upload decisions made under the second one through /ingest, replay a decision against
// the version in force (reproduced) and against the first version (diverged), read the diff, then run
// an impact analysis of the first version and open a flipped decision.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { zipSync } from "fflate";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const POLICY_SOURCE = "/e2e/replay-policies"; // the policySource.disk.directory the decisions name
const PRINCIPAL = "e2e-replay-clerk";
const SHOTS = path.join(import.meta.dirname, "..", "test-results", "replay-screens");

/** A zip of one fixture version, its files under one top folder (as people zip a folder). */
function zipVersion(version: "v1" | "v2"): Buffer {
  const root = path.join(FIXTURES, "replay-policies", version);
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else files[`replay-policies-${version}/${path.relative(root, abs).split(path.sep).join("/")}`] = readFileSync(abs);
    }
  };
  walk(root);
  return Buffer.from(zipSync(files));
}

/** The decision log, stamped now (after the imports, so the newest import was in force) and unique per run. */
function decisionLog(run: string): Buffer {
  const template = readFileSync(path.join(FIXTURES, "replay-decisions.ndjson"), "utf8");
  return Buffer.from(template.replaceAll("__RUN__", run).replaceAll("__TS__", new Date().toISOString()));
}

async function importVersion(page: Page, version: "v1" | "v2"): Promise<string> {
  const form = page.getByRole("form", { name: "Import policies" });
  await form.getByLabel("Source name (required)").fill(POLICY_SOURCE);
  await form.getByLabel("Archive (.zip, .tar.gz)").setInputFiles({ name: `replay-policies-${version}.zip`, mimeType: "application/zip", buffer: zipVersion(version) });
  await form.getByRole("button", { name: "Import archive" }).click();
  const status = form.getByRole("status");
  await expect(status).toContainText(`replay-policies-${version}`);
  const href = await status.getByRole("link").getAttribute("href");
  expect(href).toMatch(/^\/policies\/\d+$/);
  return href!.split("/").pop()!;
}

test("replay a decision against its version and another, read the diff, run an impact analysis", async ({ page }) => {
  test.setTimeout(120_000);
  const run = Date.now().toString(36).toUpperCase();
  const startedAt = new Date(Date.now() - 1000).toISOString().slice(0, 19);

  // 1. Two versions of the fixture policies, imported through the form.
  await page.goto("/policies");
  await expect(page.getByRole("heading", { name: "Policy versions" })).toBeVisible();
  const v1 = await importVersion(page, "v1");
  const v2 = await importVersion(page, "v2");
  expect(v1).not.toBe(v2);
  await expect(page.getByRole("table", { name: "Policy versions" }).getByRole("link", { name: "replay-policies-v2" })).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, "1-policies.png"), fullPage: true });

  // The version page: file tree, highlighted YAML with the CEL condition.
  await page.goto(`/policies/${v2}?file=resource_policies/invoice.yaml`);
  await expect(page.getByRole("navigation", { name: "Files" }).getByRole("link", { name: "invoice.yaml" })).toHaveAttribute("aria-current", "page");
  const file = page.getByRole("region", { name: "File resource_policies/invoice.yaml" });
  await expect(file.locator(".tok-cel").filter({ hasText: "R.attr.amount < 5000" })).toBeVisible();
  await expect(page.getByText("compiles", { exact: true })).toBeVisible();

  // 2. Decisions made under v2, uploaded like any decision log.
  await page.goto("/ingest");
  await page.getByLabel("Choose files").setInputFiles({ name: `replay-decisions-${run}.ndjson`, mimeType: "application/x-ndjson", buffer: decisionLog(run) });
  const upload = page.getByRole("listitem", { name: `Upload of replay-decisions-${run}.ndjson` });
  await expect(upload.getByRole("status")).toHaveText("Done");
  await expect(upload.getByTestId("upload-summary")).toContainText("3 accepted");

  // 3. Open the 2,500 invoice decision and replay it against the version in force.
  await page.goto(`/decisions?rid=inv-2500-${run}`);
  await page.getByTestId("decisions-table").locator("tbody tr").first().locator("a.row-link").click();
  await expect(page).toHaveURL(/\/records\/\d+/);
  const replay = page.getByRole("region", { name: "Replay", exact: true });
  await replay.getByRole("button", { name: "Replay against the version in force" }).click();
  const inForce = replay.getByTestId("replay-in-force");
  await expect(inForce).toContainText("reproduced");
  await expect(inForce).toContainText("replay-policies-v2");
  await expect(inForce.getByTestId("resolved-by")).toContainText("time (inferred)");

  // 4. Side by side against v1: approving 2,500 would have been denied.
  await replay.getByLabel("Compare with version").selectOption(v1);
  await replay.getByRole("button", { name: "Replay against this version" }).click();
  const other = replay.getByTestId("replay-other");
  await expect(other).toContainText("diverged");
  const effects = replay.getByRole("table", { name: /Effects per action for Input 1: e2e_invoice:inv-2500/ });
  const approve = effects.getByRole("row", { name: /^approve/ });
  await expect(approve.locator("td").nth(1)).toContainText("allow");
  await expect(approve.locator("td").nth(2)).toContainText("deny ≠ logged");
  await replay.locator("summary", { hasText: "Why (replay-policies-v1" }).click();
  await expect(replay.locator(".condition-trace").getByText("R.attr.amount < 1000")).toBeVisible();
  await replay.screenshot({ path: path.join(SHOTS, "2-replay.png") });

  // An uploaded draft (the v1 files, never stored) replays the same way.
  const draftRoot = path.join(FIXTURES, "replay-policies", "v1");
  await replay.getByLabel("Draft policy files").setInputFiles([
    path.join(draftRoot, "resource_policies", "invoice.yaml"),
    path.join(draftRoot, "derived_roles", "invoice_roles.yaml"),
  ]);
  await expect(other).toContainText("Uploaded draft with 2 files");
  await expect(other).toContainText("diverged");

  // 5. The diff between the two versions says why.
  await page.goto("/policies");
  const picker = page.getByRole("form", { name: "Compare versions" });
  await picker.getByLabel("From version").selectOption(v1);
  await picker.getByLabel("To version").selectOption(v2);
  await picker.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`/policies/diff\\?from=${v1}&to=${v2}`));
  const diff = page.getByRole("region", { name: "Diff of resource_policies/invoice.yaml" });
  await expect(diff.locator(".diff-del").filter({ hasText: "R.attr.amount < 1000" })).toBeVisible();
  await expect(diff.locator(".diff-add").filter({ hasText: "R.attr.amount < 5000" })).toBeVisible();
  await expect(page.getByTestId("diff-summary")).toContainText("1 file differ");
  await page.screenshot({ path: path.join(SHOTS, "3-diff.png"), fullPage: true });

  // 6. Impact of going back to v1, over this run's decisions.
  await page.goto("/impact");
  const form = page.getByRole("form", { name: "Start an impact analysis" });
  await form.getByLabel("Candidate policy version").selectOption(v1);
  await form.getByLabel("From (UTC)").fill(startedAt);
  await form.getByLabel("Principal").fill(PRINCIPAL);
  await form.getByRole("button", { name: "Run impact analysis" }).click();
  await expect(page).toHaveURL(/\/impact\/\d+/);
  const progress = page.getByTestId("impact-progress");
  await expect(progress.getByRole("heading")).toContainText("done", { timeout: 30_000 });
  await expect(progress.getByTestId("allow-to-deny")).toHaveText("1");
  await expect(progress.getByTestId("deny-to-allow")).toHaveText("0");
  await expect(progress).toContainText("3 decisions replayed");
  await page.getByRole("table", { name: "Flips by action" }).getByRole("link", { name: "approve" }).click();
  await expect(page).toHaveURL(/dim=action&value=approve/);
  const flips = page.getByTestId("flips-table").locator("tbody tr");
  await expect(flips).toHaveCount(1);
  await expect(flips.first()).toContainText(`e2e_invoice:inv-2500-${run}`);
  await page.screenshot({ path: path.join(SHOTS, "4-impact.png"), fullPage: true });
  const runUrl = new URL(page.url());
  const cancelDone = await page.request.post(`/api${runUrl.pathname}/cancel`, { headers: csrfHeaders() });
  expect(cancelDone.status()).toBe(409); // a finished run cannot be cancelled
  const csvHref = await page.getByRole("link", { name: "CSV", exact: true }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`inv-2500-${run}`);

  // 7. Open the flipped decision: its replay against the candidate opens by itself.
  await flips.first().getByRole("link").click();
  await expect(page).toHaveURL(/\/records\/\d+\?.*replay=1/);
  const panel = page.getByRole("region", { name: "Replay", exact: true });
  await expect(panel.getByTestId("replay-in-force")).toContainText("reproduced");
  await expect(panel.getByTestId("replay-other")).toContainText("diverged");
  await expect(panel.getByTestId("replay-other")).toContainText("replay-policies-v1");
  await page.screenshot({ path: path.join(SHOTS, "5-flip-record.png"), fullPage: true });
});

test("replay and import routes answer bad input with 4xx naming the field", async ({ request }) => {
  const noTarget = await request.post("/api/records/1/replay", { headers: csrfHeaders(), data: { target: "nope" } });
  expect(noTarget.status()).toBe(400);
  expect((await noTarget.json()).error).toContain("`target`");
  const badDraft = await request.post("/api/records/1/replay", { headers: csrfHeaders(), data: { target: { draft: [{ path: "a.yaml" }] } } });
  expect(badDraft.status()).toBe(400);
  expect((await badDraft.json()).error).toContain("`target.draft.0.content`");
  const missing = await request.post("/api/records/999999999/replay", { headers: csrfHeaders(), data: { target: "resolved" } });
  expect(missing.status()).toBe(404);
  const noSource = await request.post("/api/policies/import", { headers: csrfHeaders(), multipart: { file: { name: "p.zip", mimeType: "application/zip", buffer: zipVersion("v1") } } });
  expect(noSource.status()).toBe(400);
  expect((await noSource.json()).error).toContain("`source`");
  const notArchive = await request.post("/api/policies/import", { headers: csrfHeaders(), multipart: { source: "x", file: { name: "p.zip", mimeType: "application/zip", buffer: Buffer.from("hello") } } });
  expect(notArchive.status()).toBe(400);
  expect((await notArchive.json()).error).toContain("`file`");
  const noCandidate = await request.post("/api/impact", { headers: csrfHeaders(), data: {} });
  expect(noCandidate.status()).toBe(400);
  expect((await noCandidate.json()).error).toContain("`candidate`");
});
