// The route table covers the app exactly, and the guard lets each role into exactly the routes the
// role × permission table below declares (written out here, independently of lib/auth/roles.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decide } from "../../lib/auth/guard.ts";
import { ROUTES, type Method } from "../../lib/auth/routes.ts";
import type { SessionUser } from "../../lib/auth/sessions.ts";
import { concretePath, DECLARED_ROLES } from "./declared-access.ts";

const APP = path.join(import.meta.dirname, "..", "..", "app");

interface AppFile {
  path: string;
  type: "page" | "api";
  methods: string[];
  file: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function appFiles(): AppFile[] {
  const out: AppFile[] = [];
  for (const file of walk(APP)) {
    const base = path.basename(file);
    if (!/^(page|route)\.tsx?$/.test(base)) continue;
    const segments = path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
    const routePath = "/" + segments.join("/");
    if (base.startsWith("page")) out.push({ path: routePath, type: "page", methods: ["GET"], file });
    else {
      const source = readFileSync(file, "utf8");
      const methods = [...source.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
      out.push({ path: routePath, type: "api", methods, file });
    }
  }
  return out;
}

describe("route table", () => {
  const files = appFiles();

  it("declares every page and route handler under app/, with every exported method", () => {
    const missing: string[] = [];
    for (const f of files) {
      const spec = ROUTES.find((r) => r.path === f.path && r.type === f.type);
      if (!spec) {
        missing.push(`${f.type} ${f.path} (${path.relative(APP, f.file)}) has no entry in lib/auth/routes.ts`);
        continue;
      }
      for (const m of f.methods) if (!spec.methods[m as Method]) missing.push(`${m} ${f.path} is exported but has no declared access`);
    }
    expect(missing).toEqual([]);
  });

  it("has no entry without a file and no declared method the file does not export", () => {
    const stale: string[] = [];
    for (const spec of ROUTES) {
      const f = files.find((x) => x.path === spec.path && x.type === spec.type);
      if (!f) stale.push(`${spec.type} ${spec.path} is declared but app/ has no such file`);
      else for (const m of Object.keys(spec.methods)) if (!f.methods.includes(m)) stale.push(`${m} ${spec.path} is declared but not exported`);
    }
    expect(stale).toEqual([]);
  });
});

const IDENTITIES = ["anonymous", "investigator", "auditor", "policy_owner", "admin"] as const;

function userWith(role: string): SessionUser {
  return { sessionId: "s", userId: "u", username: role, displayName: null, roles: [role], method: "password", csrf: "tok" };
}


describe("role × route matrix (guard)", () => {
  for (const spec of ROUTES) {
    for (const [method, access] of Object.entries(spec.methods)) {
      it(`${method} ${spec.path}`, () => {
        const pathname = concretePath(spec.path);
        for (const who of IDENTITIES) {
          const session = who === "anonymous" ? null : userWith(who);
          const verdict = decide({ pathname, method, headers: { "x-csrf-token": "tok" } }, session);
          let expected: boolean;
          if (access!.kind === "public" || access!.kind === "ingest-token") expected = true;
          else if (access!.kind === "signed-in") expected = who !== "anonymous";
          else expected = (DECLARED_ROLES[access!.permission] ?? []).includes(who);
          expect(verdict.kind === "allow", `${who} → ${method} ${pathname}: ${JSON.stringify(verdict)}`).toBe(expected);
          if (!expected && who === "anonymous") expect(verdict.kind === "redirect" || (verdict.kind === "deny" && verdict.status === 401)).toBe(true);
          if (!expected && who !== "anonymous") expect(verdict).toMatchObject({ kind: "deny", status: 403 });
        }
      });
    }
  }

  it("refuses undeclared paths, undeclared methods, server actions and cross-site or token-less mutations", () => {
    const admin = userWith("admin");
    expect(decide({ pathname: "/secret-debug", method: "GET", headers: {} }, admin)).toMatchObject({ kind: "deny", status: 404 });
    expect(decide({ pathname: "/api/impact", method: "DELETE", headers: {} }, userWith("policy_owner"))).toMatchObject({ kind: "deny", status: 405, allow: "POST" });
    expect(decide({ pathname: "/decisions", method: "POST", headers: { "next-action": "abc" } }, userWith("investigator"))).toMatchObject({ kind: "deny", status: 403 });
    const po = userWith("policy_owner");
    expect(decide({ pathname: "/api/impact", method: "POST", headers: {} }, po)).toMatchObject({ kind: "deny", status: 403 });
    expect(decide({ pathname: "/api/impact", method: "POST", headers: { "x-csrf-token": "other" } }, po)).toMatchObject({ kind: "deny", status: 403 });
    expect(decide({ pathname: "/api/impact", method: "POST", headers: { "x-csrf-token": "tok", origin: "https://evil.example", host: "hindsight.local" } }, po)).toMatchObject({ kind: "deny", status: 403 });
    expect(decide({ pathname: "/api/impact", method: "POST", headers: { "x-csrf-token": "tok", "sec-fetch-site": "cross-site" } }, po)).toMatchObject({ kind: "deny", status: 403 });
    expect(decide({ pathname: "/api/impact", method: "POST", headers: { "x-csrf-token": "tok", origin: "http://hindsight.local", host: "hindsight.local" } }, po)).toMatchObject({ kind: "allow" });
    // Sign-in itself is public but not from another site (login CSRF).
    expect(decide({ pathname: "/api/auth/login", method: "POST", headers: { origin: "https://evil.example", host: "h" } }, null)).toMatchObject({ kind: "deny", status: 403 });
    // Pages send anonymous visitors to sign in and back.
    expect(decide({ pathname: "/tasks", pathWithQuery: "/tasks?limit=5", method: "GET", headers: {} }, null)).toEqual({ kind: "redirect", location: "/login?next=%2Ftasks%3Flimit%3D5" });
    // More specific static segments win over dynamic ones.
    expect(decide({ pathname: "/policies/diff", method: "GET", headers: {} }, userWith("policy_owner"))).toMatchObject({ kind: "allow" });
    // A user with no roles is signed in but reaches nothing but home and the account page.
    const nobody = { ...admin, roles: [] };
    expect(decide({ pathname: "/", method: "GET", headers: {} }, nobody)).toMatchObject({ kind: "allow" });
    expect(decide({ pathname: "/audit", method: "GET", headers: {} }, nobody)).toMatchObject({ kind: "deny", status: 403 });
  });
});
