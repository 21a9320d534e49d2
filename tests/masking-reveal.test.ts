// Reveal (POST /api/reveal) and the raw download (GET /records/[id]/raw) against real records: masked by
// default, a reveal needs a reason and names an existing field, and every reveal is in the audit trail
// without the value.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as reveal } from "../app/api/reveal/route.ts";
import { GET as rawRoute } from "../app/records/[id]/raw/route.ts";
import { getRecordDetail } from "../lib/explorer/record-detail.ts";
import { maskRecordView } from "../lib/masking/record-view.ts";
import { BUILTIN_RULE_SET } from "../lib/masking/rules.ts";
import { clearSensitiveRulesCache } from "../lib/masking/settings.ts";
import { EMAIL, ingestSensitive, lastAudit, params, PEER, request, user } from "./masking-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const investigator = user(`inv-${randomUUID().slice(0, 8)}`, ["investigator"]);
let ids: { cerbos: string; opa: string };

beforeAll(async () => {
  clearSensitiveRulesCache();
  ids = await ingestSensitive(getPool(), randomUUID().slice(0, 8));
});

const post = (body: unknown) => reveal(request(investigator, "POST", "/api/reveal", body));

describe("GET /records/[id]/raw", () => {
  it("downloads the masked JSON by default, not the raw bytes", async () => {
    const res = await rawRoute(request(investigator, "GET", `/records/${ids.cerbos}/raw`), params({ id: ids.cerbos }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="record-${ids.cerbos}.masked.json"`);
    expect(res.headers.get("x-content-sha256")).toBeNull();
    expect(Number(res.headers.get("x-hindsight-masked"))).toBeGreaterThanOrEqual(3);
    const text = await res.text();
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(PEER);
    const body = JSON.parse(text);
    expect(body.peer.address).toBe("•••• masked (ip)");
    expect(body.checkResources.inputs[0].principal.attr.email).toBe("•••• masked (email)");
    expect(body["log.kind"]).toBe("decision"); // everything else as received
  });

  it("answers 404 for an unknown record", async () => {
    const res = await rawRoute(request(investigator, "GET", "/records/999999999999/raw"), params({ id: "999999999999" }));
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/no record with id "999999999999"/);
  });
});

describe("record page view", () => {
  it("masks the entry, the raw view, hop cells and decoded JWT claims", async () => {
    const cerbos = maskRecordView((await getRecordDetail(ids.cerbos))!, BUILTIN_RULE_SET);
    expect(JSON.stringify(cerbos.entry)).not.toContain(EMAIL);
    expect(cerbos.raw?.text).not.toContain(EMAIL);
    expect(cerbos.entryMasked.map((m) => m.path)).toEqual(
      expect.arrayContaining(["peer.address", "checkResources.inputs.0.principal.attr.email", "checkResources.inputs.0.auxData.jwt.email"]),
    );
    const opa = maskRecordView((await getRecordDetail(ids.opa))!, BUILTIN_RULE_SET);
    expect(opa.entry.requested_by).toBe("•••• masked (ip)");
    expect((opa.entry.input as { token: string }).token).toBe("•••• masked (jwt)");
    // Claims decoded from the (masked) token are shown, their own sensitive claims masked.
    expect(opa.jwtClaims.map((j) => j.pointer).sort()).toEqual(["/input/attributes/request/http/headers/authorization", "/input/token"]);
    expect(opa.jwtClaims[0].claims).toMatchObject({ sub: "bob", email: "•••• masked (email)" });
    expect(opa.jwtClaims[0].masked).toEqual([{ pointer: "/email", label: "email" }]);
  });
});

describe("POST /api/reveal", () => {
  it("returns the one value and records actor, record, path and reason, never the value", async () => {
    const res = await post({ recordId: ids.cerbos, path: "/checkResources/inputs/0/principal/attr/email", reason: "INC-7: who approved the payment" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ recordId: ids.cerbos, source: "entry", path: "/checkResources/inputs/0/principal/attr/email", value: EMAIL });
    const audit = await lastAudit(getPool(), "sensitive.reveal", investigator.username);
    expect(audit).toMatchObject({
      target: `record:${ids.cerbos}`,
      reason: "INC-7: who approved the payment",
      origin: "198.51.100.23",
      details: { recordId: ids.cerbos, source: "entry", path: "/checkResources/inputs/0/principal/attr/email" },
    });
    expect(JSON.stringify(audit)).not.toContain(EMAIL);
  });

  it("takes dot paths, raw paths, JWT claims and hop fields", async () => {
    const dot = await post({ recordId: ids.cerbos, path: "peer.address", reason: "which gateway sent this" });
    expect(await dot.json()).toMatchObject({ path: "/peer/address", value: PEER });
    const raw = await post({ recordId: ids.cerbos, source: "raw", path: "/checkResources/inputs/0/auxData/jwt/email", reason: "raw record check" });
    expect(await raw.json()).toMatchObject({ source: "raw", value: EMAIL });
    const claim = await post({ recordId: ids.opa, source: "jwt", tokenPath: "/input/token", path: "/email", reason: "whose token was this" });
    expect(await claim.json()).toMatchObject({ value: "bob@acme.example" });
    const { rows } = await getPool().query(`SELECT id::text FROM hops WHERE record_id = $1 LIMIT 1`, [ids.cerbos]);
    const hop = await post({ recordId: ids.cerbos, source: "hop", hopId: rows[0].id, path: "/principal/id", reason: "principal of the hop" });
    expect(await hop.json()).toMatchObject({ value: "alice" });
  });

  it("reveals the whole raw record with one reason, listing the masked paths in the audit event", async () => {
    const res = await post({ recordId: ids.opa, all: true, reason: "full record for the incident file" });
    expect(res.status).toBe(200);
    const body = await res.json();
    const bytes = Buffer.from(body.rawBase64, "base64");
    const { rows } = await getPool().query(`SELECT raw_bytes, raw_sha256 FROM records WHERE id = $1`, [ids.opa]);
    expect(bytes.equals(rows[0].raw_bytes)).toBe(true);
    expect(body.sha256).toBe(rows[0].raw_sha256);
    const audit = await lastAudit(getPool(), "sensitive.reveal", investigator.username);
    expect(audit.details).toMatchObject({ all: true, source: "raw", paths: expect.arrayContaining(["/requested_by", "/input/token"]) });
    expect(JSON.stringify(audit)).not.toContain("bob@acme.example");
  });

  it.each([
    [{ recordId: "1", path: "/a" }, 400, /`reason` is required/],
    [{ recordId: "1", path: "/a", reason: "because" }, 400, /`reason` must be at least 10 characters/],
    [{ recordId: "1", reason: "long enough reason" }, 400, /`path` is required/],
    [{ recordId: "x1", path: "/a", reason: "long enough reason" }, 400, /`recordId` must be a whole number/],
    [{ recordId: "1", path: "/a", reason: "long enough reason", source: "disk" }, 400, /`source` must be one of entry, raw, jwt, hop/],
    [{ recordId: "1", path: "a.*.b", reason: "long enough reason" }, 400, /not a wildcard/],
    [{ recordId: "1", path: "/a", reason: "long enough reason", extra: 1 }, 400, /extra|unrecognized/i],
  ])("refuses %j", async (body, status, message) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toMatch(message);
  });

  it("answers 404 for an unknown record, path, hop or token, and records nothing", async () => {
    const before = await lastAudit(getPool(), "sensitive.reveal", investigator.username);
    const cases: [unknown, RegExp][] = [
      [{ recordId: "999999999999", path: "/peer", reason: "looking for a ghost" }, /no record with id "999999999999"/],
      [{ recordId: ids.cerbos, path: "/checkResources/inputs/0/principal/attr/phone", reason: "looking for a ghost" }, /has no field at \/checkResources\/inputs\/0\/principal\/attr\/phone/],
      [{ recordId: ids.cerbos, path: "/checkResources/inputs/7", reason: "looking for a ghost" }, /has no field/],
      [{ recordId: ids.cerbos, source: "hop", hopId: "999999999999", path: "/principal/id", reason: "looking for a ghost" }, /has no hop 999999999999/],
      [{ recordId: ids.opa, source: "jwt", tokenPath: "/input/nothing", path: "/sub", reason: "looking for a ghost" }, /has no token at \/input\/nothing/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect((await res.json()).error).toMatch(message);
    }
    expect(await lastAudit(getPool(), "sensitive.reveal", investigator.username)).toEqual(before);
  });

  it("refuses a body that is not JSON", async () => {
    const res = await reveal(new Request("http://localhost/api/reveal", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }));
    expect(res.status).toBe(415);
  });
});
