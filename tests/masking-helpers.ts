// Shared by tests/masking-*.test.ts: records with sensitive values in both engines' shapes, and route
// requests as the proxy hands them over (user and client headers set).
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { CLIENT_HEADER, encodeUser, USER_HEADER } from "../lib/auth/context.ts";
import type { SessionUser } from "../lib/auth/sessions.ts";
import { ingestBytes } from "../lib/ingest/ingest.ts";

export const CLIENT = "198.51.100.23";
export const EMAIL = "alice.liddell@acme.example";
export const PEER = "10.20.30.40:51234";

/** A JWT-shaped token whose payload carries an e-mail claim. */
export function jwtWith(claims: Record<string, unknown>): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "ES256", typ: "JWT" })}.${enc(claims)}.${Buffer.from("signature-bytes-here").toString("base64url")}`;
}

export function user(username: string, roles: string[]): SessionUser {
  return { sessionId: randomUUID(), userId: randomUUID(), username, displayName: null, roles, method: "password", csrf: "test" };
}

export function request(u: SessionUser | null, method: string, path: string, body?: unknown): Request {
  const headers: Record<string, string> = { "user-agent": "masking-test/1.0", [CLIENT_HEADER]: CLIENT };
  if (u) headers[USER_HEADER] = encodeUser(u);
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

export function cerbosLine(o: { callId: string; taskId: string; principal?: string; at?: string }): string {
  return JSON.stringify({
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId: o.callId,
    timestamp: o.at ?? "2026-08-01T09:00:00Z",
    peer: { address: PEER, userAgent: "agent-gateway/2.3.1" },
    checkResources: {
      inputs: [
        {
          requestId: `${o.callId}-r`,
          principal: { id: o.principal ?? "alice", roles: ["user"], attr: { email: EMAIL, department: "finance" } },
          resource: { kind: "payment", id: `pay-${o.callId.slice(-4)}`, attr: { amount: 120 } },
          actions: ["view"],
          auxData: { jwt: { sub: "alice", email: EMAIL, scope: "payments:read" } },
        },
      ],
      outputs: [{ requestId: `${o.callId}-r`, resourceId: `pay-${o.callId.slice(-4)}`, actions: { view: { effect: "EFFECT_ALLOW", policy: "resource.payment.vdefault" } } }],
    },
    requestContext: { annotations: { task_id: o.taskId } },
  });
}

export function opaEvent(o: { decisionId: string; taskId: string; pdp: string }): string {
  const token = jwtWith({ sub: "bob", email: "bob@acme.example", scope: "tools:invoke" });
  return JSON.stringify({
    labels: { id: o.pdp },
    decision_id: o.decisionId,
    path: "envoy/authz/allow",
    input: {
      context: { task_id: o.taskId },
      attributes: { request: { http: { method: "GET", path: "/v1/payments", headers: { authorization: `Bearer ${token}`, "x-request-id": "r-1" } } } },
      token,
    },
    result: { allowed: true },
    requested_by: "192.0.2.10:40000",
    timestamp: "2026-08-01T09:01:00Z",
  });
}

/** Ingests one Cerbos and one OPA record of a task; returns their record ids (Cerbos first). */
export async function ingestSensitive(pool: pg.Pool, tag: string): Promise<{ cerbos: string; opa: string; taskId: string; pdp: string }> {
  const taskId = `task-${tag}`;
  const pdp = `pdp-${tag}`;
  const callId = `01MASK${tag.replace(/[^0-9A-Z]/gi, "").toUpperCase().padEnd(20, "0").slice(0, 20)}`;
  await ingestBytes(pool, Buffer.from(cerbosLine({ callId, taskId }) + "\n"), { channel: "cli", pdpInstance: pdp });
  await ingestBytes(pool, Buffer.from(opaEvent({ decisionId: `d-${tag}`, taskId, pdp: `${pdp}-opa` }) + "\n"), { channel: "cli" });
  const { rows } = await pool.query<{ id: string; engine: string }>(
    `SELECT id::text, engine FROM records WHERE (engine = 'cerbos' AND record_key = $1) OR (engine = 'opa' AND record_key = $2) ORDER BY engine`,
    [callId, `d-${tag}`],
  );
  const cerbos = rows.find((r) => r.engine === "cerbos")!.id;
  const opa = rows.find((r) => r.engine === "opa")!.id;
  return { cerbos, opa, taskId, pdp };
}

export async function lastAudit(pool: pg.Pool, action: string, actor: string) {
  const { rows } = await pool.query(`SELECT actor, action, target, reason, origin, details FROM audit_events WHERE action = $1 AND actor = $2 ORDER BY id DESC LIMIT 1`, [
    action,
    actor,
  ]);
  return rows[0] ?? null;
}
