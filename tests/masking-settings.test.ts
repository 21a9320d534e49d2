// The masking rules in force (admin override in app_settings > HINDSIGHT_SENSITIVE_PATHS > built-ins) and
// PUT /api/admin/settings: validation naming the bad lines, the audit event with the list before and
// after, and the effect on what leaves the server.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUT } from "../app/api/admin/settings/route.ts";
import { GET as rawRoute } from "../app/records/[id]/raw/route.ts";
import { BUILTIN_RULES } from "../lib/masking/rules.ts";
import { clearSensitiveRulesCache, ENV_VAR, envRules, fallbackRules, getSensitiveRules, SETTINGS_KEY } from "../lib/masking/settings.ts";
import { ingestSensitive, lastAudit, params, request, user } from "./masking-helpers.ts";
import { useTestDatabase } from "./setup/db.ts";

const getPool = useTestDatabase();
const admin = user(`admin-${randomUUID().slice(0, 8)}`, ["admin"]);
const put = (body: unknown) => PUT(request(admin, "PUT", "/api/admin/settings", body));

beforeAll(async () => {
  await getPool().query(`DELETE FROM app_settings WHERE key = $1`, [SETTINGS_KEY]);
  clearSensitiveRulesCache();
});

afterAll(async () => {
  // Other test files share this database: leave no override behind.
  await getPool().query(`DELETE FROM app_settings WHERE key = $1`, [SETTINGS_KEY]);
  clearSensitiveRulesCache();
});

describe("rules in force", () => {
  it("are the built-ins without env or override", async () => {
    const rules = await getSensitiveRules(getPool());
    expect(rules.source).toBe("builtin");
    expect(rules.lines).toEqual(BUILTIN_RULES);
  });

  it("come from HINDSIGHT_SENSITIVE_PATHS when set; 'none' masks nothing; a bad entry fails closed naming it", () => {
    expect(fallbackRules({ [ENV_VAR]: "**.email, detect:ip" })).toMatchObject({ source: "env", lines: ["**.email", "detect:ip"] });
    expect(fallbackRules({ [ENV_VAR]: "@defaults, **.customer_id" }).ruleSet.texts).toHaveLength(BUILTIN_RULES.length + 1);
    expect(envRules({ [ENV_VAR]: " none " })!.ruleSet.paths).toHaveLength(0);
    expect(envRules({ [ENV_VAR]: "  " })).toBeNull();
    expect(() => envRules({ [ENV_VAR]: "**.email, principal..id" })).toThrow(`${ENV_VAR}: entry 2 ("principal..id"): empty segment at character 11 (two dots in a row)`);
  });
});

describe("PUT /api/admin/settings", () => {
  it("refuses bad lines, naming each line, and changes nothing", async () => {
    const res = await put({ sensitivePaths: "# who may see what\n**.email\n\nprincipal..id\ndetect:phone\n" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('`sensitivePaths`: line 4 ("principal..id"): empty segment at character 11 (two dots in a row); line 5 ("detect:phone"): unknown detector "phone" (known: email, ip, jwt, bearer)');
    expect(body.errors).toEqual([
      { line: 4, text: "principal..id", message: "empty segment at character 11 (two dots in a row)" },
      { line: 5, text: "detect:phone", message: 'unknown detector "phone" (known: email, ip, jwt, bearer)' },
    ]);
    expect((await getSensitiveRules(getPool())).source).toBe("builtin");
  });

  it("refuses a body without sensitivePaths", async () => {
    const res = await put({ paths: "x" });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/sensitivePaths|unrecognized/i);
  });

  it("stores the list, records from/to, and what leaves the server follows it at once", async () => {
    const ids = await ingestSensitive(getPool(), randomUUID().slice(0, 8));
    const res = await put({ sensitivePaths: "# ours\n@defaults\nprincipal.id\n" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ source: "settings", lines: ["# ours", "@defaults", "principal.id"], updatedBy: admin.username });
    expect(body.rules).toContain("principal.id");
    const audit = await lastAudit(getPool(), "settings.update", admin.username);
    expect(audit).toMatchObject({ target: SETTINGS_KEY, origin: "198.51.100.23", details: { key: SETTINGS_KEY, from: null, to: ["# ours", "@defaults", "principal.id"] } });

    const raw = await (await rawRoute(request(admin, "GET", `/records/${ids.cerbos}/raw`), params({ id: ids.cerbos }))).json();
    expect(raw.checkResources.inputs[0].principal.id).toBe("•••• masked (id)");

    // Back to the defaults: the override is removed, and the change is recorded with what it was.
    const reset = await put({ sensitivePaths: null });
    expect(await reset.json()).toMatchObject({ source: "builtin" });
    expect((await lastAudit(getPool(), "settings.update", admin.username)).details).toMatchObject({ from: ["# ours", "@defaults", "principal.id"], to: null });
    const after = await (await rawRoute(request(admin, "GET", `/records/${ids.cerbos}/raw`), params({ id: ids.cerbos }))).json();
    expect(after.checkResources.inputs[0].principal.id).toBe("alice");
  });

  it("an empty list is an explicit 'mask nothing'", async () => {
    const res = await put({ sensitivePaths: "" });
    expect(await res.json()).toMatchObject({ source: "settings", lines: [], rules: [] });
    await put({ sensitivePaths: null });
  });
});
