// The embedded Rego engine behind the shared engine interface (lib/engine/types.ts): compile a
// set of modules plus base data once, then evaluate queries with input, a pinned `now` and the
// record's nd_builtin_cache. See docs/rego.md.
import type { CompileOutcome, CompiledPolicySet, EvaluateOptions, JsonValue, PolicyEngine } from "../types.ts";
import { type CompiledRego, type RegoModuleSource, compileRego } from "./engine.ts";
import { RegoError } from "./errors.ts";
import type { TraceEvent } from "./eval/trace.ts";
import { fromJs, parseJsonValue, toJs, toJsonText } from "./values/json.ts";
import { RegoObject, type Value } from "./values/value.ts";

export interface RegoSources {
  modules: RegoModuleSource[];
  /** Base data document (bundle data). */
  data?: JsonValue;
}

export interface RegoRequest {
  /** A Rego query, e.g. `data.authz.allow` or `x := data.authz.decision`. */
  query: string;
  input?: JsonValue;
  /** A decision log's nd_builtin_cache: built-in name → JSON-encoded argument array → output. */
  ndBuiltinCache?: Record<string, Record<string, JsonValue>>;
  strictBuiltinErrors?: boolean;
}

export interface RegoResult {
  /** One map per solution; a query that is a single term binds its value to `value`. */
  bindings: Record<string, JsonValue>[];
  error?: { code: string; message: string };
  explanation?: TraceEvent[];
}

/** Re-keys a recorded cache by canonical JSON so key formatting differences do not matter. */
export function ndCacheFromJson(cache: Record<string, Record<string, JsonValue>>): Map<string, Map<string, Value>> {
  const out = new Map<string, Map<string, Value>>();
  for (const [name, entries] of Object.entries(cache)) {
    const m = new Map<string, Value>();
    for (const [args, output] of Object.entries(entries)) {
      let key = args;
      try {
        key = toJsonText(parseJsonValue(args));
      } catch {
        // Keep a key that is not JSON as recorded.
      }
      m.set(key, fromJs(output));
    }
    out.set(name, m);
  }
  return out;
}

class RegoPolicySet implements CompiledPolicySet<RegoRequest, RegoResult> {
  constructor(readonly compiled: CompiledRego) {}

  evaluate(request: RegoRequest, options: EvaluateOptions): RegoResult {
    try {
      const single = isSingleTerm(request.query);
      const { bindings, trace } = this.compiled.query(single ? `value = ${request.query}` : request.query, {
        input: request.input === undefined ? undefined : fromJs(request.input),
        now: options.now,
        explain: options.explain,
        strictBuiltinErrors: request.strictBuiltinErrors,
        ndBuiltinCache: request.ndBuiltinCache && ndCacheFromJson(request.ndBuiltinCache),
      });
      return {
        bindings: bindings.map((b) => Object.fromEntries([...b].map(([k, v]) => [k, toJs(v) as JsonValue]))),
        explanation: trace,
      };
    } catch (err) {
      if (err instanceof RegoError) return { bindings: [], error: { code: err.code, message: err.message } };
      throw err;
    }
  }
}

function isSingleTerm(query: string): boolean {
  return !/:=|(^|[^=!<>])=($|[^=])|;|\n/.test(query) && !/^\s*(not|some|every)\b/.test(query);
}

export const regoEngine: PolicyEngine<RegoSources, RegoRequest, RegoResult> = {
  name: "rego",
  compile(sources: RegoSources): CompileOutcome<RegoRequest, RegoResult> {
    try {
      const data = sources.data === undefined ? new RegoObject() : fromJs(sources.data);
      return { ok: true, policySet: new RegoPolicySet(compileRego(sources.modules, data)) };
    } catch (err) {
      if (!(err instanceof RegoError)) throw err;
      const m = /^([^:\s]+):(\d+):/.exec(err.message);
      return { ok: false, errors: [{ file: m?.[1] ?? "", line: m ? Number(m[2]) : undefined, message: err.message }] };
    }
  },
};

export { compileRego, RegoError };
export type { TraceEvent };
