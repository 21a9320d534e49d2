// Brings tasks up to date with ingested hops: derive delegation facts for new hops, then regroup their
// neighbourhood into tasks. Called after every ingest (CLI, HTTP, upload, demo) and before task reads;
// cheap when nothing is new. One refresher at a time (advisory lock); a busy lock means someone else
// is already doing the work.
import type pg from "pg";
import { ADVISORY_LOCKS } from "../db/locks.ts";
import { deriveNextPass } from "./derive.ts";
import { regroupAround } from "./regroup.ts";

const DELEGATION_LOCK_KEY = ADVISORY_LOCKS.delegation;

export interface RefreshResult {
  hops: number;
  tasks: number;
  /** False when another process held the lock and this call did nothing. */
  ran: boolean;
}

export async function refreshTasks(pool: pg.Pool, opts: { wait?: boolean; passSize?: number } = {}): Promise<RefreshResult> {
  const client = await pool.connect();
  const result: RefreshResult = { hops: 0, tasks: 0, ran: false };
  try {
    if (opts.wait) await client.query("SELECT pg_advisory_lock($1)", [DELEGATION_LOCK_KEY]);
    else {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [DELEGATION_LOCK_KEY]);
      if (!rows[0].ok) return result;
    }
    result.ran = true;
    try {
      for (;;) {
        await client.query("BEGIN");
        try {
          const { facts, lastHopId } = await deriveNextPass(client, opts.passSize);
          result.hops += facts.length;
          result.tasks += await regroupAround(client, facts);
          await client.query("COMMIT");
          if (lastHopId === null) break;
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          throw err;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [DELEGATION_LOCK_KEY]);
    }
    return result;
  } finally {
    client.release();
  }
}
