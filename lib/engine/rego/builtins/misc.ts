// semver, uuid, bits, rand and the other non-deterministic built-ins (replayed from nd_builtin_cache).
import { BuiltinError, NotReplayableError } from "../errors.ts";
import { toJsonText } from "../values/json.ts";
import { RegoObject, type Value, normalizeNumber } from "../values/value.ts";
import { type BuiltinContext, num, register, str, typeError } from "./registry.ts";

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function parseSemver(fn: string, pos: number, s: string): RegExpExecArray {
  const m = SEMVER.exec(s);
  if (!m || s.startsWith("v")) throw new BuiltinError(`${fn}: operand ${pos}: string ${JSON.stringify(s)} is not a valid SemVer`);
  return m;
}
function comparePre(a?: string, b?: string): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    if (na && nb) {
      const d = Number(pa[i]) - Number(pb[i]);
      if (d) return Math.sign(d);
    } else if (na !== nb) return na ? -1 : 1;
    else if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return Math.sign(pa.length - pb.length);
}
register("semver.is_valid", 1, ([v]) => typeof v === "string" && SEMVER.test(v) && !v.startsWith("v"));
register("semver.compare", 2, (a) => {
  const x = parseSemver("semver.compare", 1, str("semver.compare", a, 0));
  const y = parseSemver("semver.compare", 2, str("semver.compare", a, 1));
  for (let i = 1; i <= 3; i++) {
    const d = BigInt(x[i]) - BigInt(y[i]);
    if (d) return d < 0n ? -1 : 1;
  }
  return comparePre(x[4], y[4]);
});

register("uuid.parse", 1, (a) => {
  const s = str("uuid.parse", a, 0);
  const m = /^(?:urn:uuid:)?\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?$/.exec(s);
  if (!m) return undefined;
  const hex = m.slice(1).join("").toLowerCase();
  const version = parseInt(hex[12], 16);
  const variantBits = parseInt(hex[16], 16);
  const variant = variantBits < 8 ? "Reserved, NCS backward compatibility" : variantBits < 12 ? "RFC4122" : variantBits < 14 ? "Reserved, Microsoft Corporation backward compatibility" : "Reserved, future definition";
  const out = new RegoObject().set("version", version).set("variant", variant);
  if (version === 1 || version === 2) {
    const time = (BigInt("0x" + hex.slice(13, 16)) << 48n) | (BigInt("0x" + hex.slice(8, 12)) << 32n) | BigInt("0x" + hex.slice(0, 8));
    const unixNs = (time - 0x01b21dd213814000n) * 100n;
    out.set("time", normalizeNumber(unixNs));
    out.set("clocksequence", parseInt(hex.slice(16, 20), 16) & 0x3fff);
    out.set("nodeid", hex.slice(20).match(/../g)!.join("-"));
    if (version === 2) {
      out.set("id", parseInt(hex.slice(0, 8), 16));
      out.set("domain", ["Person", "Group", "Org"][parseInt(hex.slice(18, 20), 16)] ?? `Domain${parseInt(hex.slice(18, 20), 16)}`);
    }
    out.set("macvariables", (parseInt(hex.slice(20, 22), 16) & 1 ? "local" : "global") + ":" + (parseInt(hex.slice(20, 22), 16) & 2 ? "multicast" : "unicast"));
    out.set("macvariables", `${parseInt(hex.slice(20, 22), 16) & 2 ? "local" : "global"}:${parseInt(hex.slice(20, 22), 16) & 1 ? "multicast" : "unicast"}`);
  }
  return out;
});

function int(fn: string, args: Value[], i: number): bigint {
  const v = num(fn, args, i);
  if (typeof v === "number" && !Number.isInteger(v)) throw new BuiltinError(`${fn}: operand ${i + 1} must be integer number but got floating-point number`, "eval_type_error");
  return BigInt(v);
}
const bitOp = (name: string, f: (a: bigint, b: bigint) => bigint) => register(name, 2, (args) => normalizeNumber(f(int(name, args, 0), int(name, args, 1))));
bitOp("bits.or", (a, b) => a | b);
bitOp("bits.and", (a, b) => a & b);
bitOp("bits.xor", (a, b) => a ^ b);
register("bits.negate", 1, (args) => normalizeNumber(~int("bits.negate", args, 0)));
const shift = (name: string, f: (a: bigint, b: bigint) => bigint) =>
  register(name, 2, (args) => {
    const a = int(name, args, 0);
    const b = int(name, args, 1);
    if (b < 0n) throw new BuiltinError(`${name}: operand 2 must be an unsigned integer number but got a negative integer`, "eval_type_error");
    return normalizeNumber(f(a, b));
  });
shift("bits.lsh", (a, b) => a << b);
shift("bits.rsh", (a, b) => a >> b);

/** Non-deterministic built-ins replay only from the record's nd_builtin_cache. */
function replayed(name: string, arity: number): void {
  register(
    name,
    arity,
    (args: Value[], ctx: BuiltinContext) => {
      const key = "[" + args.map(toJsonText).join(",") + "]";
      const hit = ctx.ndCache?.get(name)?.get(key);
      if (hit !== undefined) return hit;
      throw new NotReplayableError(`${name}: no recorded result in nd_builtin_cache for ${key}; the replay is not faithful without it`);
    },
    { nondeterministic: true },
  );
}
const HTTP_SEND_KEYS = new Set(["method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache", "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers"]);
register(
  "http.send",
  1,
  (args, ctx) => {
    const [req] = args;
    // Request validation happens before any network or cache access, as in OPA.
    if (!(req instanceof RegoObject)) throw typeError("http.send", 1, "object", req);
    const bad = req.keys().filter((k) => typeof k !== "string" || !HTTP_SEND_KEYS.has(k));
    if (bad.length) throw new BuiltinError(`http.send: invalid request parameters(s): {${bad.map((k) => JSON.stringify(k)).join(", ")}}`, "eval_type_error");
    const missing = ["method", "url"].filter((k) => req.get(k) === undefined);
    if (missing.length) throw new BuiltinError(`http.send: missing required request parameters(s): {${missing.map((k) => JSON.stringify(k)).join(", ")}}`, "eval_type_error");
    const key = "[" + args.map(toJsonText).join(",") + "]";
    const hit = ctx.ndCache?.get("http.send")?.get(key);
    if (hit !== undefined) return hit;
    throw new NotReplayableError(`http.send: no recorded result in nd_builtin_cache for ${key}; the replay is not faithful without it`);
  },
  { nondeterministic: true },
);
replayed("rand.intn", 2);
replayed("uuid.rfc4122", 1);
replayed("opa.runtime", 0);
