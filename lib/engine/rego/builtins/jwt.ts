// io.jwt.*: decoding, signature verification with supplied keys (PEM certificates, PEM public
// keys, JWK/JWKS) and signing, all synchronous through node:crypto.
import { type KeyObject, createHmac, createPrivateKey, createPublicKey, createSecretKey, sign as cryptoSign, verify as cryptoVerify, constants, X509Certificate } from "node:crypto";
import { BuiltinError } from "../errors.ts";
import { parseJsonValue, toJsonText } from "../values/json.ts";
import { RegoObject, type Value, compareNumbers } from "../values/value.ts";
import { register, str, typeError } from "./registry.ts";

interface Decoded {
  header: RegoObject;
  payload: Value;
  signature: Buffer;
  signingInput: string;
}

function b64urlDecode(s: string): Buffer {
  if (!/^[A-Za-z0-9_-]*=*$/.test(s)) throw new BuiltinError("illegal base64 data");
  return Buffer.from(s.replace(/=+$/, ""), "base64url");
}

function parseJson(what: string, buf: Buffer): Value {
  try {
    return parseJsonValue(buf.toString("utf8"));
  } catch {
    throw new BuiltinError(`${what}: cannot parse JSON`);
  }
}

// Decoding is pure, and policies decode the same bearer token on every request: memoise a few.
const DECODED = new Map<string, Decoded>();

function decodeJwt(token: string): Decoded {
  const hit = DECODED.get(token);
  if (hit) return hit;
  const d = decodeJwtUncached(token);
  if (DECODED.size >= 256) DECODED.delete(DECODED.keys().next().value!);
  DECODED.set(token, d);
  return d;
}

function decodeJwtUncached(token: string, followNested = true): Decoded {
  const parts = token.split(".");
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  const header = parseJson("JWT header", b64urlDecode(parts[0]));
  if (!(header instanceof RegoObject)) throw new BuiltinError("JWT header must be an object");
  const payloadBuf = b64urlDecode(parts[1]);
  if (header.get("enc") !== undefined) throw new BuiltinError("JWT is a JWE object, which is not supported");
  const payload = parseJsonOrFail(payloadBuf, header);
  // A nested JWT (cty: JWT) decodes to the inner token.
  if (followNested && header.get("cty") === "JWT" && typeof payload === "string") return decodeJwtUncached(payload);
  return { header, payload, signature: b64urlDecode(parts[2]), signingInput: `${parts[0]}.${parts[1]}` };
}

function parseJsonOrFail(buf: Buffer, header: RegoObject): Value {
  try {
    return parseJsonValue(buf.toString("utf8"));
  } catch {
    if (header.get("typ") === "JWT" || header.get("cty") === undefined) throw new BuiltinError("type is JWT but payload is not JSON");
    return buf.toString("utf8");
  }
}

register("io.jwt.decode", 1, (a) => {
  const d = decodeJwt(str("io.jwt.decode", a, 0));
  return [d.header, d.payload, d.signature.toString("hex")];
});

/** Public keys from a PEM certificate, a PEM public key, or a JWK/JWKS JSON string. */
function publicKeys(material: string): KeyObject[] {
  const text = material.trim();
  if (text.startsWith("-----BEGIN CERTIFICATE-----")) {
    const end = text.indexOf("-----END CERTIFICATE-----");
    if (end >= 0 && text.slice(end + "-----END CERTIFICATE-----".length).trim() !== "") throw new BuiltinError("extra data after a PEM certificate block");
    try {
      return [new X509Certificate(text).publicKey];
    } catch {
      throw new BuiltinError("failed to parse a PEM certificate");
    }
  }
  if (text.startsWith("-----BEGIN")) {
    try {
      return [createPublicKey(text)];
    } catch {
      throw new BuiltinError("failed to parse a PEM public key");
    }
  }
  try {
    const jwk = JSON.parse(text) as { keys?: object[] };
    const list = Array.isArray(jwk.keys) ? jwk.keys : [jwk];
    return list.map((k) => createPublicKey({ key: k as never, format: "jwk" }));
  } catch {
    throw new BuiltinError("failed to parse a JWK key (set)");
  }
}

const HASHES: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

function verifySignature(alg: string, d: Decoded, keyMaterial: string): boolean {
  const data = Buffer.from(d.signingInput);
  if (alg.startsWith("HS")) {
    const mac = createHmac(HASHES[alg.slice(2)], Buffer.from(keyMaterial, "utf8")).update(data).digest();
    return mac.length === d.signature.length && mac.equals(d.signature);
  }
  const keys = publicKeys(keyMaterial);
  return keys.some((key) => {
    try {
      if (alg === "EdDSA") return cryptoVerify(null, data, key, d.signature);
      const hash = HASHES[alg.slice(2)];
      if (alg.startsWith("RS")) return cryptoVerify(hash, data, key, d.signature);
      if (alg.startsWith("PS")) return cryptoVerify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, d.signature);
      if (alg.startsWith("ES")) return cryptoVerify(hash, data, { key, dsaEncoding: "ieee-p1363" }, d.signature);
    } catch {
      return false;
    }
    return false;
  });
}

for (const alg of ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"]) {
  const fn = `io.jwt.verify_${alg.toLowerCase()}`;
  register(fn, 2, (a) => {
    const d = decodeJwt(str(fn, a, 0));
    return verifySignature(alg, d, str(fn, a, 1));
  });
}

register("io.jwt.decode_verify", 2, ([tokenV, constraintsV], ctx) => {
  if (typeof tokenV !== "string") throw typeError("io.jwt.decode_verify", 1, "string", tokenV);
  if (!(constraintsV instanceof RegoObject)) throw typeError("io.jwt.decode_verify", 2, "object", constraintsV);
  const invalid: Value = [false, new RegoObject(), new RegoObject()];
  const c = constraintsV;
  for (const k of c.keys()) if (!["cert", "secret", "alg", "iss", "aud", "time"].includes(String(k))) throw new BuiltinError(`unknown token validation constraint: ${String(k)}`);
  return verifyToken(tokenV, c, ctx.nowNs, invalid);
});

function verifyToken(token: string, c: RegoObject, nowDefault: bigint, invalid: Value): Value {
  const d = decodeJwtUncached(token, false);
  const alg = d.header.get("alg");
  if (typeof alg !== "string") return invalid;
  // Critical header parameters we do not understand make the token invalid (RFC 7515 §4.1.11).
  if (d.header.get("crit") !== undefined) return invalid;
  if (c.get("alg") !== undefined && c.get("alg") !== alg) return invalid;
  const cert = c.get("cert");
  const secret = c.get("secret");
  if (cert === undefined && secret === undefined) throw new BuiltinError("no key or secret supplied");
  if (!["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"].includes(alg)) throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
  const material = alg.startsWith("HS") ? secret : cert;
  if (typeof material !== "string") return invalid;
  if (!verifySignature(alg, d, material)) return invalid;
  // Nested JWT: the payload is another signed token, verified with the same constraints.
  if (d.header.get("cty") === "JWT" && typeof d.payload === "string") return verifyToken(d.payload, c, nowDefault, invalid);
  const payload = d.payload;
  if (!(payload instanceof RegoObject)) return invalid;
  const timeC = c.get("time");
  const nowNs = typeof timeC === "number" || typeof timeC === "bigint" ? BigInt(Math.trunc(Number(timeC))) : nowDefault;
  const nowSec = Number(nowNs) / 1e9;
  const exp = payload.get("exp");
  if (exp !== undefined) {
    if (typeof exp !== "number" && typeof exp !== "bigint") throw new BuiltinError("exp value must be a number");
    if (compareNumbers(nowSec, exp) >= 0) return invalid;
  }
  const nbf = payload.get("nbf");
  if (nbf !== undefined) {
    if (typeof nbf !== "number" && typeof nbf !== "bigint") throw new BuiltinError("nbf value must be a number");
    if (compareNumbers(nowSec, nbf) < 0) return invalid;
  }
  const iss = c.get("iss");
  if (iss !== undefined && payload.get("iss") !== iss) return invalid;
  const aud = c.get("aud");
  const tokAud = payload.get("aud");
  if (aud === undefined) {
    if (tokAud !== undefined) return invalid;
  } else {
    const list = Array.isArray(tokAud) ? tokAud : tokAud === undefined ? [] : [tokAud];
    if (!list.includes(aud)) return invalid;
  }
  return [true, d.header, payload];
}

function signJws(headerText: string, payloadText: string, keyText: string, fn: string): string {
  let header: Record<string, unknown>;
  if (headerText === "") throw new BuiltinError("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
  try {
    header = JSON.parse(headerText) as Record<string, unknown>;
  } catch {
    if (!headerText.trim().startsWith("{")) throw new BuiltinError(`missing or invalid 'alg' header: jwsbb: header "alg" not found`);
    throw new BuiltinError("missing or invalid 'alg' header: cannot parse JSON");
  }
  if (typeof header !== "object" || header === null || header.alg === undefined) throw new BuiltinError(`missing or invalid 'alg' header: jwsbb: header "alg" not found`);
  const alg = String(header.alg);
  if (!HASHES[alg.slice(2)] && alg !== "EdDSA") throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
  if (header.typ === undefined || header.typ === "JWT") {
    try {
      JSON.parse(payloadText);
    } catch {
      throw new BuiltinError("type is JWT but payload is not JSON");
    }
  }
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(keyText) as Record<string, unknown>;
  } catch {
    throw new BuiltinError(`${fn}: invalid JWK`);
  }
  const input = `${Buffer.from(headerText).toString("base64url")}.${Buffer.from(payloadText).toString("base64url")}`;
  let sig: Buffer;
  if (alg.startsWith("HS")) {
    const key: KeyObject = createSecretKey(Buffer.from(String(jwk.k ?? ""), "base64url"));
    sig = createHmac(HASHES[alg.slice(2)], key).update(input).digest();
  } else if (HASHES[alg.slice(2)] || alg === "EdDSA") {
    const key = createPrivateKey({ key: jwk as never, format: "jwk" });
    const hash = alg === "EdDSA" ? null : HASHES[alg.slice(2)];
    const opts = alg.startsWith("PS") ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : alg.startsWith("ES") ? { key, dsaEncoding: "ieee-p1363" as const } : key;
    sig = cryptoSign(hash, Buffer.from(input), opts);
  } else throw new BuiltinError(`${fn}: unknown signature algorithm`);
  return `${input}.${sig.toString("base64url")}`;
}

register("io.jwt.encode_sign_raw", 3, (a) => signJws(str("io.jwt.encode_sign_raw", a, 0), str("io.jwt.encode_sign_raw", a, 1), str("io.jwt.encode_sign_raw", a, 2), "io.jwt.encode_sign_raw"));
register("io.jwt.encode_sign", 3, ([h, p, k]) => {
  if (!(h instanceof RegoObject)) throw typeError("io.jwt.encode_sign", 1, "object", h);
  if (!(k instanceof RegoObject)) throw typeError("io.jwt.encode_sign", 3, "object", k);
  return signJws(toJsonText(h), toJsonText(p), toJsonText(k), "io.jwt.encode_sign");
});
