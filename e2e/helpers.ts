// Shared by the e2e specs: the fixture file and a way to make sure it is stored (uploads are idempotent).
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";

export const FIXTURE = path.join(import.meta.dirname, "fixtures", "cerbos-zebra.ndjson");
/** The distinctive principal of the fixture: 3 decisions (6 hops) and 1 access entry. */
export const PRINCIPAL = "e2e-zebra-auditor";
export const FIXTURE_HOPS = 6;
export const FIXTURE_RECORDS = 4;

export async function ensureFixtureIngested(request: APIRequestContext): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  const res = await request.post("/api/ingest/upload?filename=cerbos-zebra.ndjson", {
    data: await readFile(FIXTURE),
    headers: { "content-type": "application/octet-stream" },
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.accepted + body.duplicate).toBe(FIXTURE_RECORDS);
}
