import { expect, test, type Page } from "@playwright/test";
import { ensureFixtureIngested, FIXTURE, FIXTURE_HOPS, FIXTURE_RECORDS, PRINCIPAL, csrfHeaders } from "./helpers";

const table = (page: Page) => page.getByTestId("decisions-table");
const bodyRows = (page: Page) => table(page).locator("tbody tr");

async function rowLinks(page: Page): Promise<string[]> {
  return bodyRows(page).locator("a.row-link").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
}

test("upload a file, find its decisions, filter, and open the detail page", async ({ page }) => {
  await page.goto("/ingest");
  await expect(page.getByRole("heading", { name: "Upload decision logs" })).toBeVisible();
  await page.getByLabel("Choose files").setInputFiles(FIXTURE);

  const upload = page.getByRole("listitem", { name: "Upload of cerbos-zebra.ndjson" });
  await expect(upload.getByRole("status")).toHaveText("Done");
  const summary = upload.getByTestId("upload-summary");
  // A re-run against a reused server stores nothing new: the same records count as duplicates.
  const text = await summary.innerText();
  const n = (label: string) => Number(new RegExp(`(\\d+)\\s+${label}`).exec(text)?.[1]);
  expect(n("accepted") + n("duplicate")).toBe(FIXTURE_RECORDS);
  expect(n("rejected")).toBe(0);

  // Explorer: the principal filter finds exactly the fixture's hops.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Decisions", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Decisions", exact: true })).toBeVisible();
  const filters = page.getByRole("search", { name: "Filter decisions" });
  await filters.getByLabel("Principal").fill(PRINCIPAL);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`principal=${PRINCIPAL}`));
  await expect(bodyRows(page)).toHaveCount(FIXTURE_HOPS);
  await expect(page.getByTestId("match-count")).toHaveText(`${FIXTURE_HOPS} matching decisions`);
  await expect(bodyRows(page).first()).toContainText("e2e-agent-7");

  // Narrow with a second filter: the deny effects only.
  await filters.getByLabel("Effect").selectOption("deny");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/effect=deny/);
  await expect(bodyRows(page)).toHaveCount(3);
  for (const row of await bodyRows(page).all()) await expect(row).toContainText("deny");

  // Open the ledger-42 delete decision.
  await bodyRows(page).filter({ hasText: "ledger-42" }).locator("a.row-link").click();
  await expect(page).toHaveURL(/\/records\/\d+\?hop=\d+/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Cerbos decision");
  await expect(page.getByRole("note").filter({ hasText: "Opened from the explorer row" })).toContainText("delete");
  const input = page.getByRole("region", { name: "Input 1: ledger:ledger-42" });
  await expect(input).toContainText(PRINCIPAL);
  await expect(input.getByRole("row", { name: /delete/ })).toHaveAttribute("aria-current", "true");
  await expect(input).toContainText("finance_reader");
  // The access entry with the same callId is linked, and the raw record is shown with its hash.
  await expect(page.getByRole("region", { name: "Cerbos access entry" }).getByRole("link")).toHaveCount(1);
  await expect(page.getByLabel("raw record", { exact: true })).toContainText('"callId": "01M84TE2EZEBRA0000000000AA"');
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy raw record" }).click();
  await expect(page.getByRole("region", { name: "Raw record" }).getByRole("status")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"principal": {');
  const raw = await page.request.get(page.url().replace(/\?.*$/, "") + "/raw");
  expect(raw.status()).toBe(200);
  // The download is masked by default (the fixture's peer addresses are sensitive): byte-exact only after a reveal.
  expect(raw.headers()["content-disposition"]).toContain(".masked.json");
  const rawText = await raw.text();
  expect(rawText).toContain('"log.kind": "decision"');
  expect(rawText).toContain("•••• masked (ip)");
});

test("explorer state lives in the URL: reload keeps filters, sort and page", async ({ page, request }) => {
  await ensureFixtureIngested(request);
  await page.goto(`/decisions?principal=${PRINCIPAL}&effect=allow&sort=action&dir=asc`);
  await expect(bodyRows(page)).toHaveCount(3);
  await expect(bodyRows(page).first()).toContainText("export");
  const before = await rowLinks(page);
  await expect(table(page).getByRole("columnheader", { name: /Action/ })).toHaveAttribute("aria-sort", "ascending");

  await page.reload();
  const filters = page.getByRole("search", { name: "Filter decisions" });
  await expect(filters.getByLabel("Principal")).toHaveValue(PRINCIPAL);
  await expect(filters.getByLabel("Effect")).toHaveValue("allow");
  expect(await rowLinks(page)).toEqual(before);

  // Sorting is a header click that rewrites the URL; filters stay.
  await table(page).getByRole("button", { name: /Action/ }).click();
  await expect(page).toHaveURL(/sort=action&dir=desc/);
  await expect(page).toHaveURL(new RegExp(`principal=${PRINCIPAL}`));
  await expect(table(page).getByRole("columnheader", { name: /Action/ })).toHaveAttribute("aria-sort", "descending");
  await expect(bodyRows(page).first()).toContainText("read");
  await expect(bodyRows(page).last()).toContainText("export");

  // A cell value pivots: clicking the acting agent narrows the view to it, keeping the other filters.
  await bodyRows(page).first().getByRole("link", { name: "e2e-agent-7" }).click();
  await expect(page).toHaveURL(/agent=e2e-agent-7/);
  await expect(page).toHaveURL(/effect=allow/);
  await expect(page.getByRole("search", { name: "Filter decisions" }).getByLabel("Acting agent")).toHaveValue("e2e-agent-7");
  await expect(bodyRows(page)).toHaveCount(3);

  // Time range (UTC): "to" a minute includes that whole minute. The fixture decided at 18:40, 18:41, 18:42.
  await page.goto(`/decisions?principal=${PRINCIPAL}`);
  const form = page.getByRole("search", { name: "Filter decisions" });
  await form.getByLabel("From (UTC)").fill("2026-11-23T18:41");
  await form.getByLabel("To (UTC)").fill("2026-11-23T18:41");
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/from=2026-11-23T18%3A41&to=2026-11-23T18%3A41/);
  await expect(bodyRows(page)).toHaveCount(2);
  await page.reload();
  await expect(form.getByLabel("From (UTC)")).toHaveValue("2026-11-23T18:41");
  await expect(bodyRows(page)).toHaveCount(2);

  // Bad parameters give a message naming them, not a crash.
  await page.goto("/decisions?effect=maybe&from=yesterday");
  const alert = page.getByRole("alert").filter({ hasText: "invalid parameters" });
  await expect(alert).toContainText("`effect`");
  await expect(alert).toContainText("`from`");
});

test("keyset pagination: next and previous pages", async ({ page, request }) => {
  await ensureFixtureIngested(request);
  await page.goto(`/decisions?principal=${PRINCIPAL}&limit=2`);
  await expect(bodyRows(page)).toHaveCount(2);
  const first = await rowLinks(page);
  const pager = page.getByRole("navigation", { name: "Pagination" });

  await pager.getByRole("link", { name: "Next page ›" }).click();
  await expect(page).toHaveURL(/after=/);
  // Navigation keeps the old rows on screen until the new page arrives: wait for them to change.
  await expect.poll(() => rowLinks(page)).not.toEqual(first);
  const second = await rowLinks(page);
  expect(second).toHaveLength(2);
  expect(second.some((href) => first.includes(href))).toBe(false);

  await pager.getByRole("link", { name: "Next page ›" }).click();
  await expect.poll(() => rowLinks(page)).not.toEqual(second);
  const third = await rowLinks(page);
  expect(third).toHaveLength(2);
  expect(new Set([...first, ...second, ...third]).size).toBe(FIXTURE_HOPS);
  await expect(pager.getByText("Next page ›")).toHaveAttribute("aria-disabled", "true");

  // Reload on a deep page shows the same rows (the cursor is in the URL).
  await page.reload();
  expect(await rowLinks(page)).toEqual(third);

  await pager.getByRole("link", { name: "‹ Previous page" }).click();
  await expect(page).toHaveURL(/before=/);
  await expect.poll(() => rowLinks(page)).toEqual(second);
  await pager.getByRole("link", { name: "« First page" }).click();
  await expect.poll(() => rowLinks(page)).toEqual(first);
  await expect(pager.getByText("‹ Previous page")).toHaveAttribute("aria-disabled", "true");
});

test("upload endpoint answers bad input with 4xx and a reason", async ({ request }) => {
  const empty = await request.post("/api/ingest/upload?filename=empty.ndjson", { headers: csrfHeaders(), data: Buffer.alloc(0) });
  expect(empty.status()).toBe(400);
  expect((await empty.json()).error).toContain("empty");

  const garbage = await request.post("/api/ingest/upload?filename=notes.txt", { headers: csrfHeaders(), data: Buffer.from("hello\nworld\n") });
  expect(garbage.status()).toBe(422);
  const body = await garbage.json();
  expect(body.rejected[0]).toMatchObject({ line: 1 });
  expect(body.rejected[0].reason).toContain("line 1");

  const badGzip = await request.post("/api/ingest/upload?filename=broken.gz", { headers: csrfHeaders(), data: Buffer.from([0x1f, 0x8b, 1, 2, 3]) });
  expect(badGzip.status()).toBe(400);
});

test("every page and route answers with the security headers", async ({ request }) => {
  for (const path of ["/decisions", "/tasks", "/trends", "/api/ingest/opa/logs"]) {
    const res = path.startsWith("/api") ? await request.post(path, { headers: csrfHeaders(), data: "[]" }) : await request.get(path);
    const headers = res.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("no-referrer");
    expect(headers["x-powered-by"], path).toBeUndefined();
  }
});
