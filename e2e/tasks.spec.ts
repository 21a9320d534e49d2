import { csrfHeaders } from "./helpers";
// Task views (issue 6): find the demo incident (alice → agent:payments-bot → agent:fx-quoter, flag
// scope_widened), follow its chain to the flagged hop, open the decision, and export its evidence.
import { spawnSync } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

const taskRows = (page: Page) => page.getByTestId("tasks-table").locator("tbody tr");

async function openIncident(page: Page): Promise<void> {
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "Tasks", exact: true })).toBeVisible();
  const filters = page.getByRole("search", { name: "Filter tasks" });
  await filters.getByLabel("Flag").selectOption("scope_widened");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/tasks\?flag=scope_widened/);
  const incident = taskRows(page).filter({ hasText: "agent:fx-quoter" }).filter({ hasText: "alice" }).first();
  await expect(incident).toContainText("agent:payments-bot");
  await expect(incident).toContainText("scope widened");
  await incident.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/tasks\/task[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Task");
}

test("open the demo incident, follow the chain to the flagged hop and open its decision", async ({ page }) => {
  await openIncident(page);

  // Swimlanes: one lane per actor, marks for every hop; delegation graph names the whole chain.
  const chart = page.getByTestId("task-timeline-chart");
  await expect(chart).toBeVisible();
  await expect(chart.locator("[data-hop]").first()).toBeVisible();
  await expect(chart.locator(".tl-flagged").first()).toBeVisible();
  const graph = page.getByTestId("delegation-graph");
  for (const name of ["alice", "agent:payments-bot", "agent:fx-quoter"]) await expect(graph).toContainText(name);
  await page.getByText(/Edges in words/).click();
  const edges = page.getByRole("list", { name: "Delegation edges" });
  await expect(edges.getByRole("listitem").filter({ hasText: /agent:payments-bot delegated to agent:fx-quoter/ })).toContainText("widened beyond the parent");
  await expect(page.getByRole("list", { name: "Correlation evidence" })).toContainText("explicit task id");

  // Zoom lives in the URL.
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect(page).toHaveURL(/[?&]from=.*&to=/);
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect(page).not.toHaveURL(/[?&]from=/);
  // Brush: drag across the strip under the lanes, then pan with the keyboard.
  const brush = page.getByTestId("task-timeline-brush");
  const box = (await brush.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/[?&]from=.*&to=/);
  await expect(page.getByTestId("timeline-window")).toContainText("zoomed");
  const zoomedFrom = new URL(page.url()).searchParams.get("from");
  await brush.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => new URL(page.url()).searchParams.get("from")).not.toBe(zoomedFrom);
  await page.keyboard.press("Escape");
  await expect(page).not.toHaveURL(/[?&]from=/);

  // The flagged hop: its panel shows the chain human → agent → sub-agent and the reason.
  const flagged = page.getByRole("region", { name: /Flagged hops/ });
  await flagged.getByRole("link", { name: /Show hop/ }).first().click();
  await expect(page).toHaveURL(/[?&]hop=\d+/);
  const panel = page.getByTestId("hop-panel");
  const chain = panel.getByRole("list", { name: "Actor chain" });
  await expect(chain.getByRole("listitem")).toHaveText([/alice/, /agent:payments-bot/, /agent:fx-quoter/, /.+/]);
  await expect(panel.getByRole("note", { name: "Flags on this hop" })).toContainText(/not delegated by parent hop/);
  await expect(panel.locator(".scope-widened").first()).toBeVisible();
  await expect(panel.getByRole("link", { name: "Replay" })).toHaveAttribute("href", /\/records\/\d+\?replay=1/);

  // Deep link: the same URL opens the same hop.
  const hopId = new URL(page.url()).searchParams.get("hop");
  await page.goto(page.url());
  await expect(page.getByTestId("hop-panel").getByRole("heading", { level: 2 })).toContainText(`Hop ${hopId}`);
  await expect(page.locator(`#hop-row-${hopId}`)).toHaveAttribute("aria-current", "true");

  // Clicking a mark opens that hop too.
  await page.getByTestId("task-timeline-chart").locator("[data-hop]").first().click({ force: true });
  await expect(page.getByTestId("hop-panel")).toBeVisible();

  // Back to the flagged hop, then its stored decision record.
  await page.goto(page.url().replace(/hop=\d+/, `hop=${hopId}`));
  await page.getByTestId("hop-panel").getByRole("link", { name: /Open record #\d+/ }).click();
  await expect(page).toHaveURL(new RegExp(`/records/\\d+\\?hop=${hopId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/decision/i);
  await expect(page.locator("body")).toContainText("agent:fx-quoter");
});

test("export the incident's evidence as a verifiable zip", async ({ page }, testInfo) => {
  await openIncident(page);
  const form = page.getByRole("form", { name: "Export evidence" });
  await form.getByLabel(/Reason/).fill("e2e: scope widening incident review");
  const downloading = page.waitForEvent("download");
  await form.getByRole("button", { name: "Export evidence" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^evidence-.+\.zip$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  expect((await stat(file)).size).toBeGreaterThan(0);
  expect((await readFile(file)).subarray(0, 2).toString()).toBe("PK");
  await expect(form.getByRole("status")).toContainText("Downloaded");

  // Offline verification with the CLI (no database needed).
  const verify = spawnSync("npx", ["hindsight", "evidence", "verify", file], {
    cwd: path.resolve(import.meta.dirname, ".."),
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, DATABASE_URL: "" },
  });
  expect(verify.status, `${verify.stdout}\n${verify.stderr}`).toBe(0);
  expect(verify.stdout).toContain("OK: bundle verified");
});

test("the export endpoint names the missing field", async ({ request }) => {
  const noReason = await request.post("/api/evidence/export", { headers: csrfHeaders(), data: { task: "anything" } });
  expect(noReason.status()).toBe(400);
  expect(await noReason.json()).toMatchObject({ field: "reason" });
  const noTask = await request.post("/api/evidence/export", { headers: csrfHeaders(), data: { reason: "why" } });
  expect(noTask.status()).toBe(400);
  expect(await noTask.json()).toMatchObject({ field: "task" });
  const unknown = await request.post("/api/evidence/export", { headers: csrfHeaders(), data: { task: "no-such-task", reason: "why" } });
  expect(unknown.status()).toBe(404);
});
