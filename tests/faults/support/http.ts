// One HTTP client for the whole suite, on node:http rather than fetch: hostile tests need headers fetch
// refuses or rewrites (lying Content-Length, odd encodings), and every request needs a hard deadline,
// because "the server hangs" is one of the faults being looked for.
import http from "node:http";

export interface RequestSpec {
  method?: string;
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Hard deadline for the whole exchange (connect, send, answer); default 30 s. */
  timeoutMs?: number;
  /** Largest response body kept; the rest is read and dropped. Default 8 MiB. */
  maxResponseBytes?: number;
  agent?: http.Agent;
}

export interface Outcome {
  /** HTTP status, or null when no answer arrived (connection error or timeout). */
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Wall time from the call to the end of the answer (or the failure). */
  ms: number;
  /** Connection-level failure: ECONNREFUSED, ECONNRESET, "socket hang up", "timeout". */
  error?: string;
  /**
   * The request went out on a kept-alive connection the server had just closed (Node's documented
   * keep-alive race: reset before any answer). Real clients (OPA's Go client, Node) simply retry these.
   */
  staleKeepAlive?: boolean;
  timedOut: boolean;
}

export const keepAliveAgent = (maxSockets = 16) => new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 1_000 });

export function request(spec: RequestSpec): Promise<Outcome> {
  const started = performance.now();
  const timeoutMs = spec.timeoutMs ?? 30_000;
  const maxBytes = spec.maxResponseBytes ?? 8 * 1024 * 1024;
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const finish = (o: Omit<Outcome, "ms">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...o, ms: performance.now() - started });
    };
    const url = new URL(spec.url);
    const body = spec.body === undefined ? undefined : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body);
    const headers: Record<string, string> = { ...(spec.headers ?? {}) };
    const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === "content-length" || h.toLowerCase() === "transfer-encoding");
    if (body && !hasLength) headers["content-length"] = String(body.length);
    const req = http.request(
      { method: spec.method ?? "GET", hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent: spec.agent },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on("data", (c: Buffer) => {
          if (kept < maxBytes) {
            chunks.push(c);
            kept += c.length;
          }
        });
        res.on("end", () => finish({ status: res.statusCode ?? null, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), timedOut: false }));
        res.on("error", (err) => finish({ status: res.statusCode ?? null, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), error: errorCode(err), timedOut: false }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error("timeout"));
      finish({ status: null, headers: {}, body: "", error: "timeout", timedOut: true });
    }, timeoutMs);
    req.on("error", (err) =>
      finish({ status: null, headers: {}, body: "", error: errorCode(err), timedOut: false, staleKeepAlive: req.reusedSocket && errorCode(err) === "ECONNRESET" }),
    );
    if (body) req.end(body);
    else req.end();
  });
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}

/** The `error` field of a JSON answer, or null when the body is not JSON or has none. */
export function jsonError(o: Pick<Outcome, "body">): string | null {
  try {
    const v = JSON.parse(o.body) as unknown;
    if (v && typeof v === "object" && typeof (v as { error?: unknown }).error === "string") return (v as { error: string }).error;
  } catch {
    // not JSON
  }
  return null;
}

export function parseJson<T>(o: Pick<Outcome, "body">): T | null {
  try {
    return JSON.parse(o.body) as T;
  } catch {
    return null;
  }
}

/** Signs of an internal error leaking to a client: stack frames, source paths, error class names. */
export function leaksInternals(body: string): string | null {
  const m = /(\n\s+at [^\n]+\(|\bat (?:async )?[\w.<>]+ \(|node_modules\/|\/work\/|\.tsx?:\d+|\.js:\d+:\d+|TypeError|ReferenceError|SyntaxError: |error: relation |duplicate key value)/.exec(body);
  return m ? m[0] : null;
}
