// Looks up the one value a reveal asks for. Targets name a document and a path in it:
//   entry  the stored record's parsed entry (what the detail page's sections show)
//   raw    the record's raw bytes as JSON (the raw view; a Cerbos Admin API line keeps its wrapper)
//   jwt    a claim of the JWT found at `tokenPath` in the entry (the OPA "JWT claims" section)
//   hop    the hop document of hop `hopId` of this record (explorer cells, task hop panel: hop-document.ts)
// Paths are JSON pointers ("/checkResources/inputs/0/principal/attr/email") or dot paths
// ("checkResources.inputs.0.principal.attr.email", keys with dots in double quotes).
import type pg from "pg";
import { isRecordId } from "../explorer/record-detail.ts";
import { hopDocumentValue } from "./hop-document.ts";
import { parsePointer, toPointer, valueAtPointer } from "./mask.ts";
import { jwtClaimAt, rawValueAt } from "./record.ts";

export const REVEAL_SOURCES = ["entry", "raw", "jwt", "hop"] as const;
export type RevealSource = (typeof REVEAL_SOURCES)[number];

export interface RevealTarget {
  recordId: string;
  path: string;
  source: RevealSource;
  hopId?: string;
  tokenPath?: string;
}

/** A reveal's reason must say something: "x" or "because" is not a reason an auditor can follow up. */
export const MIN_REVEAL_REASON = 10;

export class RevealNotFound extends Error {}
export class RevealBadRequest extends Error {}

/** A concrete path (pointer or dot path, no wildcards) as a JSON pointer; throws RevealBadRequest naming the problem. */
export function normalizePath(path: string, field = "path"): string {
  const text = path.trim();
  if (text === "" || text === "/") return text === "/" ? "/" : "";
  if (text.startsWith("/")) {
    try {
      parsePointer(text);
    } catch (err) {
      throw new RevealBadRequest(`\`${field}\`: ${(err as Error).message}`);
    }
    return text;
  }
  const segments: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let name = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        name += text[i++];
      }
      if (text[i] !== '"') throw new RevealBadRequest(`\`${field}\`: unterminated quote`);
      i++;
      segments.push(name);
    } else {
      let end = i;
      while (end < text.length && text[end] !== ".") end++;
      const word = text.slice(i, end);
      if (word === "") throw new RevealBadRequest(`\`${field}\`: empty segment at character ${i + 1}`);
      if (word === "*" || word === "**") throw new RevealBadRequest(`\`${field}\`: reveal takes one exact path, not a wildcard`);
      segments.push(word);
      i = end;
    }
    if (i < text.length) {
      if (text[i] !== ".") throw new RevealBadRequest(`\`${field}\`: unexpected ${JSON.stringify(text[i])} at character ${i + 1}`);
      i++;
      if (i === text.length) throw new RevealBadRequest(`\`${field}\`: ends with a dot`);
    }
  }
  return toPointer(segments);
}

/** The value a reveal target names. Throws RevealNotFound (404) or RevealBadRequest (400) with a message that says which. */
export async function lookupRevealValue(pool: pg.Pool | pg.ClientBase, t: RevealTarget): Promise<{ pointer: string; value: unknown }> {
  if (!isRecordId(t.recordId)) throw new RevealNotFound(`no record with id "${t.recordId}" (ids are whole numbers)`);
  const pointer = normalizePath(t.path);
  if (pointer === "") throw new RevealBadRequest("`path` must name a field, not the whole document (use all: true to reveal a whole record)");
  let value: unknown;
  if (t.source === "hop") {
    if (!t.hopId || !/^\d{1,19}$/.test(t.hopId)) throw new RevealBadRequest("`hopId` is required with source \"hop\" (a whole number)");
    const { rows } = await pool.query(
      `SELECT h.principal_id, h.roles, h.acting_agent, h.action, h.resource_kind, h.resource_id, h.pdp_instance, h.request_id,
              h.record_key, h.policy, d.initiating_human, d.actor_chain, d.facts
         FROM hops h LEFT JOIN hop_delegation d ON d.hop_id = h.id
        WHERE h.id = $1::bigint AND h.record_id = $2::bigint`,
      [t.hopId, t.recordId],
    );
    const h = rows[0];
    if (!h) throw new RevealNotFound(`record ${t.recordId} has no hop ${t.hopId}`);
    value = hopDocumentValue(
      {
        principalId: h.principal_id,
        roles: h.roles,
        actingAgent: h.acting_agent,
        action: h.action,
        resourceKind: h.resource_kind,
        resourceId: h.resource_id,
        pdpInstance: h.pdp_instance,
        requestId: h.request_id,
        recordKey: h.record_key,
        policy: h.policy,
        initiatingHuman: h.initiating_human,
        actorChain: h.actor_chain,
        facts: h.facts,
      },
      pointer,
    );
  } else {
    const { rows } = await pool.query<{ parsed: unknown; raw: Buffer | null }>(
      `SELECT parsed, ${t.source === "raw" ? "raw_bytes" : "NULL::bytea"} AS raw FROM records WHERE id = $1::bigint`,
      [t.recordId],
    );
    const r = rows[0];
    if (!r) throw new RevealNotFound(`no record with id "${t.recordId}"`);
    if (t.source === "raw") value = rawValueAt(r.raw?.toString("utf8") ?? "", pointer);
    else if (t.source === "jwt") {
      if (!t.tokenPath) throw new RevealBadRequest('`tokenPath` is required with source "jwt" (where the token sits in the record)');
      const tokenPointer = normalizePath(t.tokenPath, "tokenPath");
      if (valueAtPointer(r.parsed, tokenPointer) === undefined) throw new RevealNotFound(`record ${t.recordId} has no token at ${tokenPointer}`);
      value = jwtClaimAt(r.parsed, tokenPointer, pointer);
    } else value = valueAtPointer(r.parsed, pointer);
  }
  if (value === undefined) throw new RevealNotFound(`record ${t.recordId} has no ${t.source === "hop" ? `hop field` : t.source === "jwt" ? "claim" : "field"} at ${pointer}`);
  return { pointer, value };
}

/** The exact raw bytes of a record, for "reveal all" on the raw view. */
export async function lookupRawBytes(pool: pg.Pool | pg.ClientBase, recordId: string): Promise<{ bytes: Buffer; sha256: string; format: string }> {
  if (!isRecordId(recordId)) throw new RevealNotFound(`no record with id "${recordId}" (ids are whole numbers)`);
  const { rows } = await pool.query<{ raw_bytes: Buffer; raw_sha256: string; format: string }>(
    `SELECT raw_bytes, raw_sha256, format FROM records WHERE id = $1::bigint`,
    [recordId],
  );
  if (!rows[0]) throw new RevealNotFound(`no record with id "${recordId}"`);
  return { bytes: rows[0].raw_bytes, sha256: rows[0].raw_sha256, format: rows[0].format };
}
