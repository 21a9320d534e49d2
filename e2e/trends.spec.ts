// Trends page (issue 7): charts render, the brush writes the window into the URL, and a top-denied
// value drills through to the explorer with the filters applied.
import { expect, test } from "@playwright/test";

test("trends charts, brush zoom in the URL, bucket switch and drill-through to the explorer", async ({ page }) => {
  await page.goto("/trends");
  await expect(page.getByRole("heading", { name: "Trends", exact: true })).toBeVisible();
  const volume = page.getByTestId("volume-chart");
  await expect(volume.locator(".recharts-surface").first()).toBeVisible();
  await expect(volume.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("version-chart").locator(".recharts-surface")).toBeVisible();
  await expect(page.getByRole("list", { name: "Deny spikes" }).or(page.getByText(/No deny spikes/))).toBeVisible();

  // Hour buckets, then brush: drag the left handle to the right.
  await page.getByRole("navigation", { name: "Bucket size" }).getByRole("link", { name: "Hourly" }).click();
  await expect(page).toHaveURL(/bucket=hour/);
  const before = await page.getByTestId("trends-window").innerText();
  const handle = volume.locator(".recharts-brush-traveller").first();
  await expect(handle).toBeVisible();
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 250, box.y + box.height / 2, { steps: 10 });
  await page.mouse.move(box.x + 500, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect(page).toHaveURL(/[?&]from=[^&]+&to=[^&]+/);
  await expect(page).toHaveURL(/bucket=hour/);
  await expect(page.getByTestId("trends-window")).not.toHaveText(before);
  const from = new URL(page.url()).searchParams.get("from");

  // The filter bar is the explorer's: narrow to deny, then drill through a top denied agent.
  const agents = page.getByRole("list", { name: "Top denied acting agents" });
  const top = agents.getByRole("link").first();
  const agent = (await top.locator(".ranked-value").innerText()).trim();
  await top.click();
  await expect(page).toHaveURL(/\/decisions\?/);
  const params = new URL(page.url()).searchParams;
  expect(params.get("effect")).toBe("deny");
  expect(params.get("agent")).toBe(agent);
  expect(params.get("from")).toBe(from);
  const filters = page.getByRole("search", { name: "Filter decisions" });
  await expect(filters.getByLabel("Acting agent")).toHaveValue(agent);
  const rows = page.getByTestId("decisions-table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  for (const row of (await rows.all()).slice(0, 10)) {
    await expect(row).toContainText("deny");
    await expect(row).toContainText(agent);
  }
});

test("trends filters share the explorer's parameters and show an empty state", async ({ page }) => {
  await page.goto("/trends?principal=nobody-at-all-e2e");
  await expect(page.getByRole("search", { name: "Filter trends" }).getByLabel("Principal")).toHaveValue("nobody-at-all-e2e");
  await expect(page.getByRole("heading", { name: "No decisions in this window" })).toBeVisible();
  await page.getByRole("link", { name: "Open these decisions in the explorer" }).click();
  await expect(page).toHaveURL(/\/decisions\?principal=nobody-at-all-e2e/);
});
