// The audit-trail query (lib/audit/query.ts): the SQL it builds, its filters and keyset pages over real
// rows (ties in `at` included), URL parameters, and the CSV download route.
import { beforeAll, describe, expect, it } from "vitest";
import { GET as auditCsvRoute } from "../app/audit/csv/route.ts";
import {
  auditHref,
  buildAuditQuery,
  decodeAuditCursor,
  encodeAuditCursor,
  listAuditEvents,
  parseAuditParams,
  type AuditFilters,
} from "../lib/audit/query.ts";
import { makeActor, request, uniqueName, type Actor } from "./admin-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
let alice = "";
let bob = "";
let auditor: Actor;

// 12 events: alice does user.* and token.* things, bob evidence.export; three share one timestamp.
const T0 = Date.parse("2031-05-04T10:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

beforeAll(async () => {
  const tag = uniqueName("t");
  alice = `alice-${tag}`;
  bob = `cli:bob-${tag}@host`;
  const events: [string, string, string, string][] = [
    [at(0), alice, "user.create", "u-1"],
    [at(1), alice, "user.update", "u-1"],
    [at(2), alice, "user.disable", "u-1"],
    [at(3), alice, "token.create", "t-1"],
    [at(4), bob, "evidence.export", "task:42"],
    [at(5), bob, "evidence.export", "task:43"],
    [at(5), bob, "evidence.export", "task:44"],
    [at(5), alice, "token.revoke", "t-1"],
    [at(6), alice, "users.weird", "u-2"], // an area that only shares a prefix with "user"
    [at(7), alice, "user.enable", "u-1"],
    [at(8), bob, "replay.run", "=cmd|'/c calc'!A1"],
    [at(9), alice, "user.reset_password", "u-1"],
  ];
  for (const [t, actor, action, target] of events) {
    await getPool().query(`INSERT INTO audit_events (at, actor, action, target, origin, details) VALUES ($1, $2, $3, $4, '198.51.100.1', $5)`, [
      t,
      actor,
      action,
      target,
      JSON.stringify({ note: `${action} ${target}` }),
    ]);
  }
  auditor = await makeActor(getPool(), ["auditor"], "auditor");
});

/** Every row of a filter, paging with `after` `size` rows at a time. */
async function allPages(filters: AuditFilters, size: number) {
  const seen: string[] = [];
  let after;
  for (let i = 0; i < 20; i++) {
    const page = await listAuditEvents(getPool(), filters, { after, limit: size });
    seen.push(...page.rows.map((r) => `${r.action} ${r.target}`));
    if (!page.nextCursor) return seen;
    after = decodeAuditCursor(page.nextCursor)!;
  }
  throw new Error("paging did not end");
}

const mine = () => ({ from: "2031-05-04T10:00", to: "2031-05-04T10:09" });

describe("buildAuditQuery", () => {
  it("puts every value in a parameter and orders newest first with id as tie-breaker", () => {
    const q = buildAuditQuery({ actor: "cli:*", action: "user", target: "x'; DROP TABLE users; --" }, { limit: 50 });
    expect(q.text).toBe(
      "SELECT id::text, at, actor, action, target, reason, origin, details FROM audit_events WHERE starts_with(actor, $1) AND starts_with(action, $2) AND target = $3 ORDER BY at DESC, id DESC LIMIT $4",
    );
    expect(q.values).toEqual(["cli:", "user.", "x'; DROP TABLE users; --", 51]);
    const back = buildAuditQuery({}, { before: { at: "2031-01-01T00:00:00.000Z", id: "7" }, limit: 10 });
    expect(back.text).toContain("WHERE at >= $1::timestamptz AND (at > $1::timestamptz OR id > $2::bigint) ORDER BY at ASC, id ASC LIMIT $3");
    expect(buildAuditQuery({ action: "user.*" }, { limit: 1 }).values[0]).toBe("user.");
    expect(buildAuditQuery({ action: "user." }, { limit: 1 }).values[0]).toBe("user.");
    expect(buildAuditQuery({ action: "user.create" }, { limit: 1 }).text).toContain("action = $1");
  });
});

describe("listAuditEvents", () => {
  it("filters by actor (exact or prefix), action (exact, area, area.*), target and time", async () => {
    const list = async (f: AuditFilters) => (await listAuditEvents(getPool(), { ...mine(), ...f }, { limit: 100 })).rows.map((r) => `${r.action} ${r.target}`);
    expect(await list({ actor: bob })).toEqual(["replay.run =cmd|'/c calc'!A1", "evidence.export task:44", "evidence.export task:43", "evidence.export task:42"]);
    expect(await list({ actor: bob.slice(0, 10) + "*", action: "replay.*" })).toEqual(["replay.run =cmd|'/c calc'!A1"]);
    expect(await list({ actor: alice, action: "user" })).toEqual(["user.reset_password u-1", "user.enable u-1", "user.disable u-1", "user.update u-1", "user.create u-1"]);
    expect(await list({ actor: alice, action: "token.revoke" })).toEqual(["token.revoke t-1"]);
    expect(await list({ actor: alice, target: "t-1" })).toEqual(["token.revoke t-1", "token.create t-1"]);
    expect(await list({ actor: alice, action: "users.*" })).toEqual(["users.weird u-2"]);
    // "to" with minute precision includes that minute; with seconds, up to that instant.
    expect(await list({ actor: bob, from: "2031-05-04T10:05", to: "2031-05-04T10:05" })).toEqual(["evidence.export task:44", "evidence.export task:43"]);
    expect(await list({ actor: bob, from: "2031-05-04T10:04:00Z", to: "2031-05-04T10:04:59Z" })).toEqual(["evidence.export task:42"]);
    expect(await list({ actor: "nobody-at-all" })).toEqual([]);
  });

  it("pages by (at desc, id desc) without gaps or repeats, through ties, both ways", async () => {
    const everything = (await listAuditEvents(getPool(), mine(), { limit: 200 })).rows;
    const filters = { ...mine(), actor: "*" };
    const whole = everything.map((r) => `${r.action} ${r.target}`);
    for (const size of [1, 2, 3, 5]) expect(await allPages(filters, size), `page size ${size}`).toEqual(whole);

    const ours = { ...mine(), target: "task:*" };
    const first = await listAuditEvents(getPool(), ours, { limit: 2 });
    expect(first.rows.map((r) => r.target)).toEqual(["task:44", "task:43"]);
    expect(first.prevCursor).toBeNull();
    const second = await listAuditEvents(getPool(), ours, { after: decodeAuditCursor(first.nextCursor!)!, limit: 2 });
    expect(second.rows.map((r) => r.target)).toEqual(["task:42"]);
    expect(second.nextCursor).toBeNull();
    const back = await listAuditEvents(getPool(), ours, { before: decodeAuditCursor(second.prevCursor!)!, limit: 2 });
    expect(back.rows.map((r) => r.target)).toEqual(["task:44", "task:43"]);
    expect(back.prevCursor).toBeNull();
    expect(back.nextCursor).not.toBeNull();
    const backOne = await listAuditEvents(getPool(), ours, { before: decodeAuditCursor(second.prevCursor!)!, limit: 1 });
    expect(backOne.rows.map((r) => r.target)).toEqual(["task:43"]);
    expect(backOne.prevCursor).not.toBeNull();
  });

  it("returns who, when, what, target, from where and details", async () => {
    const [row] = (await listAuditEvents(getPool(), { ...mine(), actor: alice, action: "user.create" }, { limit: 5 })).rows;
    expect(row).toMatchObject({ actor: alice, action: "user.create", target: "u-1", origin: "198.51.100.1", reason: null, details: { note: "user.create u-1" } });
    expect(row.at.toISOString()).toBe(at(0));
    expect(row.id).toMatch(/^\d+$/);
  });
});

describe("parseAuditParams", () => {
  it("reads filters and cursors and names bad parameters", () => {
    const cursor = encodeAuditCursor({ at: "2031-05-04T10:00:00.000Z", id: "12" });
    expect(parseAuditParams({ actor: " alice ", action: "", after: cursor, limit: "10" })).toEqual({
      ok: true,
      filters: { actor: "alice" },
      page: { after: { at: "2031-05-04T10:00:00.000Z", id: "12" }, before: undefined, limit: 10 },
    });
    const bad = parseAuditParams({ from: "yesterday", after: "garbage!", limit: "5000" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.join("\n")).toMatch(/`from` must be a date-time/);
      expect(bad.errors.join("\n")).toMatch(/`after` is not a valid page cursor/);
      expect(bad.errors.join("\n")).toMatch(/`limit` must be a whole number/);
    }
    expect(parseAuditParams({ after: cursor, before: cursor }).ok).toBe(false);
    expect(auditHref("/audit", { actor: "a b", action: "user" }, { after: "c" })).toBe("/audit?actor=a+b&action=user&after=c");
    expect(auditHref("/audit/csv", {})).toBe("/audit/csv");
  });
});

describe("GET /audit/csv", () => {
  it("downloads every matching event as CSV with formulas defused, and records audit.export", async () => {
    const res = await auditCsvRoute(request(auditor, "GET", `/audit/csv?actor=${encodeURIComponent(bob)}&from=2031-05-04T10:00`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="hindsight-audit-.*\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actor,action,target,reason,origin,details");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(`,2031-05-04T10:08:00.000Z,${bob},replay.run,'=cmd|'/c calc'!A1,,198.51.100.1,`);
    expect(lines[1]).toContain(`"{""note"":""replay.run =cmd|'/c calc'!A1""}"`);
    expect(lines.slice(2).map((l) => l.split(",")[4])).toEqual(["task:44", "task:43", "task:42"]);
    const { rows } = await getPool().query(`SELECT actor, details FROM audit_events WHERE action = 'audit.export' AND actor = $1`, [auditor.user.username]);
    expect(rows).toEqual([{ actor: auditor.user.username, details: { filters: { actor: bob, from: "2031-05-04T10:00" }, userAgent: "admin-test/1.0" } }]);
  });

  it("pages through more rows than one query returns", async () => {
    const { auditCsv } = await import("../lib/audit/query.ts");
    let text = "";
    for await (const chunk of auditCsv(getPool(), { ...mine(), actor: alice }, 2)) text += chunk;
    expect(text.trimEnd().split("\r\n")).toHaveLength(1 + 8);
  });

  it("answers bad parameters with 400 naming them", async () => {
    const res = await auditCsvRoute(request(auditor, "GET", "/audit/csv?to=soon"));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/`to` must be a date-time/);
  });
});

describe("sensitive values in the trail's details", () => {
  it("masks search parameters and impact filters by the sensitive-field rules, leaving the rest", async () => {
    const { maskAuditRow } = await import("../lib/audit/query.ts");
    const { BUILTIN_RULE_SET } = await import("../lib/masking/rules.ts");
    const row = {
      id: "1",
      at: new Date(),
      actor: "alice",
      action: "records.search",
      target: null,
      reason: null,
      origin: "192.0.2.1",
      details: { query: { principal: "bob@example.com", effect: "deny" }, userAgent: "Mozilla/5.0" },
    };
    const masked = maskAuditRow(row, BUILTIN_RULE_SET);
    expect(JSON.stringify(masked.details)).not.toContain("bob@example.com");
    expect(masked.details).toMatchObject({ query: { effect: "deny" }, userAgent: "Mozilla/5.0" });
    expect(masked.origin).toBe("192.0.2.1");
    const plain = { ...row, details: { query: { principal: "bob" } } };
    expect(maskAuditRow(plain, BUILTIN_RULE_SET)).toBe(plain);
  });
});
