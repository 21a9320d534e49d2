// Every explorer request of the suite goes through explorerFetch: pages need a signed-in session
// (signIn in endpoints.ts: an investigator), and this is the one place that attaches its cookie.
import type http from "node:http";
import type { Session } from "./endpoints.ts";
import { request, type Outcome } from "./http.ts";

export interface ExplorerClient {
  baseUrl: string;
  /** From signIn(); null while the app has no sign-in. */
  session: Session | null;
  agent?: http.Agent;
}

export function explorerFetch(client: ExplorerClient, pathAndQuery: string, timeoutMs = 30_000): Promise<Outcome> {
  return request({
    method: "GET",
    url: client.baseUrl + pathAndQuery,
    headers: { accept: "text/html,application/json", ...(client.session ? { cookie: client.session.cookie } : {}) },
    timeoutMs,
    agent: client.agent,
    maxResponseBytes: 4 * 1024 * 1024,
  });
}

/** Record ids linked from a decisions page (`/records/<id>` row links). */
export function recordIdsOnPage(html: string): string[] {
  return [...new Set([...html.matchAll(/href="\/records\/(\d+)/g)].map((m) => m[1]))];
}

/** The next-page link of a decisions page (keyset cursor), as a path with query, or null. */
export function nextPageLink(html: string): string | null {
  for (const m of html.matchAll(/href="(\/decisions\?[^"]*\bafter=[^"]*)"/g)) return m[1].replaceAll("&amp;", "&");
  return null;
}
