// providers.aws.sign_req: AWS Signature Version 4 over a request object, at a given time.
import { createHash, createHmac } from "node:crypto";
import { BuiltinError } from "../errors.ts";
import { toJsonText } from "../values/json.ts";
import { RegoObject, type Value } from "../values/value.ts";
import { register } from "./registry.ts";

const FN = "providers.aws.sign_req";
const typeErr = (msg: string) => new BuiltinError(`${FN}: ${msg}`, "eval_type_error");
const quoteSet = (xs: string[]) => "{" + xs.map((x) => JSON.stringify(x)).join(", ") + "}";

function required(o: RegoObject, keys: string[], operand: number, what: string): Record<string, string> {
  const missing = keys.filter((k) => o.get(k) === undefined);
  if (missing.length) throw typeErr(`operand ${operand} missing required ${what} parameters(s): ${quoteSet(missing)}`);
  const invalid = keys.filter((k) => typeof o.get(k) !== "string");
  if (invalid.length) throw typeErr(`operand ${operand} invalid values for required ${what} parameters(s): ${quoteSet(invalid)}`);
  return Object.fromEntries(keys.map((k) => [k, o.get(k) as string]));
}

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (key: Buffer | string, s: string) => createHmac("sha256", key).update(s).digest();

function encodePath(path: string): string {
  return path.split("/").map((seg) => encodeURIComponent(decodeURIComponent(seg)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())).join("/");
}

register(FN, 3, ([reqV, cfgV, timeV]) => {
  if (!(reqV instanceof RegoObject)) throw typeErr("operand 1 must be object");
  if (!(cfgV instanceof RegoObject)) throw typeErr("operand 2 must be object");
  const req = required(reqV, ["method", "url"], 1, "request");
  const cfg = required(cfgV, ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"], 2, "AWS config");
  const disable = cfgV.get("disable_payload_signing");
  if (disable !== undefined && typeof disable !== "boolean") throw typeErr("operand 2 invalid value for 'disable_payload_signing' in AWS config");
  if ((typeof timeV !== "number" && typeof timeV !== "bigint") || Number(timeV) < 0) throw typeErr("operand 3 could not convert time_ns value into a unix timestamp");
  const date = new Date(Number(BigInt(Math.trunc(Number(timeV))) / 1_000_000n));
  const amzDate = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);

  const url = new URL(req.url);
  const raw = reqV.get("raw_body");
  const body = reqV.get("body");
  const payload = typeof raw === "string" ? raw : body !== undefined ? toJsonText(body) : "";
  const payloadHash = disable === true ? "UNSIGNED-PAYLOAD" : sha256(payload);

  const headers = new Map<string, string>();
  const given = reqV.get("headers");
  if (given instanceof RegoObject) for (const [k, v] of given.entries()) headers.set(String(k).toLowerCase(), typeof v === "string" ? v : toJsonText(v));
  headers.set("host", url.host);
  headers.set("x-amz-content-sha256", payloadHash);
  headers.set("x-amz-date", amzDate);
  const token = cfgV.get("aws_session_token");
  if (typeof token === "string" && token) headers.set("x-amz-security-token", token);
  headers.delete("authorization");

  const names = [...headers.keys()].sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers.get(n)!.trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  const query = [...url.searchParams.entries()].map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]).sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join("&");
  // OPA signs the method and path exactly as given ("get", "" for a bare host).
  const rawPath = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(req.url)?.[1] ?? "";
  const canonicalRequest = [req.method, encodePath(rawPath), query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${cfg.aws_region}/${cfg.aws_service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac("AWS4" + cfg.aws_secret_access_key, day), cfg.aws_region), cfg.aws_service), "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");

  const outHeaders = new RegoObject();
  for (const n of names) outHeaders.set(n, headers.get(n)!);
  outHeaders.set("Authorization", `AWS4-HMAC-SHA256 Credential=${cfg.aws_access_key}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`);
  const out = RegoObject.from(reqV.entries());
  out.set("headers", outHeaders);
  return out as Value;
});
