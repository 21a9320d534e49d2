// The app's own audit trail (audit_events, append-only by trigger): who did what, when, from where, why.
import type pg from "pg";

export interface AuditEntry {
  actor: string;
  /** "<area>.<verb>", e.g. evidence.export. */
  action: string;
  target?: string | null;
  reason?: string | null;
  origin?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(client: pg.ClientBase | pg.Pool, e: AuditEntry): Promise<{ id: string; at: Date }> {
  const { rows } = await client.query<{ id: string; at: Date }>(
    `INSERT INTO audit_events (actor, action, target, reason, origin, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text, at`,
    [e.actor, e.action, e.target ?? null, e.reason ?? null, e.origin ?? null, JSON.stringify(e.details ?? {})],
  );
  return rows[0];
}
