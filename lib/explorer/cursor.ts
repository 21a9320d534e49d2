// Keyset cursors: the position of a row in the current ordering, carried in the URL as base64url JSON.
// No OFFSET anywhere: a page is "the next N rows after this position". A cursor names the row (decided_at,
// id) but never carries its sort value: sorted by principal, that value is a principal id, perhaps an
// e-mail address the page shows masked, and URLs end up in history, logs and Referer headers. The server
// reads the sort value from the hop the cursor names (list-hops.ts). Older links whose cursor still
// carries a value ("v") decode; the value is ignored.
// Browser-safe (no Buffer): client components build page links with it.
import { z } from "zod";

export interface HopCursor {
  /** decided_at as text with microseconds, UTC (a JS Date would lose the microseconds). */
  decidedAt: string;
  /** hops.id as a decimal string (bigint). */
  id: string;
}

const cursorSchema = z.object({
  t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/),
  i: z.string().regex(/^\d{1,19}$/),
});

/** URL-safe base64 of UTF-8 text (page cursors of the explorer and the tasks list). */
export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The text of a base64url string, or null when it is not base64url of valid UTF-8. */
export function fromBase64Url(encoded: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return null;
  try {
    const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function encodeCursor(cursor: HopCursor): string {
  return toBase64Url(JSON.stringify({ t: cursor.decidedAt, i: cursor.id }));
}

/** The cursor, or null when the text is not one this module wrote. */
export function decodeCursor(encoded: string): HopCursor | null {
  if (encoded.length > 2048) return null;
  const json = fromBase64Url(encoded);
  if (json === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = cursorSchema.safeParse(data);
  if (!parsed.success) return null;
  return { decidedAt: parsed.data.t, id: parsed.data.i };
}
