// The record page's masked sections render (server HTML, as the browser first receives it): markers and
// Reveal controls where values are masked, and the masked values themselves nowhere in the markup.
import { randomUUID } from "node:crypto";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { CerbosEntry } from "../components/record/cerbos-entry.tsx";
import { HopsTable } from "../components/record/hops-table.tsx";
import { OpaEvent } from "../components/record/opa-event.tsx";
import { RawRecord } from "../components/record/raw-record.tsx";
import { readCerbosEntry } from "../lib/explorer/cerbos-view.ts";
import { readOpaEvent } from "../lib/explorer/opa-view.ts";
import { getRecordDetail } from "../lib/explorer/record-detail.ts";
import { pointerIndex } from "../lib/masking/mask.ts";
import { maskRecordView } from "../lib/masking/record-view.ts";
import { BUILTIN_RULE_SET } from "../lib/masking/rules.ts";
import { EMAIL, ingestSensitive, PEER } from "./masking-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
let ids: { cerbos: string; opa: string };

beforeAll(async () => {
  ids = await ingestSensitive(getPool(), randomUUID().slice(0, 8));
});

async function render(id: string, canReveal: boolean): Promise<string> {
  const detail = (await getRecordDetail(id))!;
  const view = maskRecordView(detail, BUILTIN_RULE_SET);
  const index = pointerIndex(view.entry);
  const masking = { recordId: id, source: "entry" as const, masked: view.entryMasked, pointerOf: (v: unknown) => (v && typeof v === "object" ? index.get(v) : undefined), canReveal };
  const sections =
    detail.engine === "cerbos"
      ? createElement(CerbosEntry, { view: readCerbosEntry(view.entry, detail.kind), masking, entry: view.entry })
      : createElement(OpaEvent, { view: readOpaEvent(view.entry), masking, jwtClaims: view.jwtClaims });
  return renderToStaticMarkup(
    createElement("div", null, sections, createElement(HopsTable, { hops: view.hops, masking: { recordId: id, cells: view.hopCells, canReveal } }), createElement(RawRecord, { detail, raw: view.raw, canReveal })),
  );
}

describe("record page sections", () => {
  it("Cerbos: markers with Reveal controls, no sensitive value in the HTML", async () => {
    const html = await render(ids.cerbos, true);
    expect(html).not.toContain(EMAIL);
    expect(html).not.toContain(PEER);
    expect(html).toContain("•••• masked (email)");
    expect(html).toContain('aria-label="Reveal email at /checkResources/inputs/0/principal/attr/email"');
    expect(html).toContain('aria-label="Reveal the peer address"');
    expect(html).toContain("Reveal the whole record (");
    expect(html).toContain("Download (masked)");
  });

  it("OPA: masked token, masked claims of the decoded token, masked requested_by", async () => {
    const html = await render(ids.opa, true);
    expect(html).not.toContain("bob@acme.example");
    expect(html).not.toContain("192.0.2.10");
    expect(html).toContain('aria-label="Reveal email at /email"');
    expect(html).toContain('aria-label="Reveal the requested_by"');
  });

  it("without the reveal permission only the markers show", async () => {
    const html = await render(ids.cerbos, false);
    expect(html).toContain("•••• masked (email)");
    expect(html).not.toContain("Reveal");
  });
});
