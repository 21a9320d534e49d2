// cel-go ext.Encoders: base64.encode / base64.decode.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { registerNamespace } from "./namespace.ts";
import { celToJson } from "./values.ts";

/** Compact JSON with sorted object keys, as Go's encoding/json writes maps. */
function encodeJson(v: unknown): string {
  return JSON.stringify(celToJson(v), (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

export function registerEncoders(env: Environment): void {
  const json = registerNamespace(env, "json");
  env.registerFunction(`${json}.encode(dyn): string`, (_: unknown, v: unknown) => encodeJson(v));
  const ns = registerNamespace(env, "base64");
  env
    .registerFunction(`${ns}.encode(bytes): string`, (_: unknown, b: Uint8Array) => Buffer.from(b).toString("base64"))
    .registerFunction(`${ns}.decode(string): bytes`, (_: unknown, s: string) => {
      const normalized = s.replace(/=+$/, "");
      if (!/^[A-Za-z0-9+/]*$/.test(normalized) || normalized.length % 4 === 1) {
        throw new CelRuntimeError("illegal base64 data at input byte 0");
      }
      return new Uint8Array(Buffer.from(normalized, "base64"));
    });
}
