// base64, base64url, hex, urlquery, json.* and yaml.* encodings.
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { BuiltinError } from "../errors.ts";
import { fromJs, parseJsonValue, toJs, toJsonText } from "../values/json.ts";
import { RegoObject, RegoSet, type Value } from "../values/value.ts";
import { register, str, typeError } from "./registry.ts";

function decodeBase64(fn: string, s: string, url: boolean): string {
  const alphabet = url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  const clean = s.replace(/[\r\n]/g, "");
  if (!alphabet.test(clean) || (!url && clean.length % 4 !== 0) || (url && clean.includes("=") && clean.length % 4 !== 0)) {
    throw new BuiltinError(`${fn}: illegal base64 data at input byte ${Math.max(0, clean.search(url ? /[^A-Za-z0-9_-]/ : /[^A-Za-z0-9+/]/))}`);
  }
  if (url && clean.length % 4 === 1) throw new BuiltinError(`${fn}: illegal base64 data at input byte ${clean.length - 1}`);
  return Buffer.from(clean, url ? "base64url" : "base64").toString("utf8");
}

register("base64.encode", 1, (a) => Buffer.from(str("base64.encode", a, 0), "utf8").toString("base64"));
register("base64.decode", 1, (a) => decodeBase64("base64.decode", str("base64.decode", a, 0), false));
register("base64.is_valid", 1, (a) => {
  try {
    decodeBase64("base64.is_valid", str("base64.is_valid", a, 0), false);
    return true;
  } catch {
    return false;
  }
});
register("base64url.encode", 1, (a) => {
  const b = Buffer.from(str("base64url.encode", a, 0), "utf8").toString("base64url");
  return b + "=".repeat((4 - (b.length % 4)) % 4);
});
register("base64url.encode_no_pad", 1, (a) => Buffer.from(str("base64url.encode_no_pad", a, 0), "utf8").toString("base64url"));
register("base64url.decode", 1, (a) => decodeBase64("base64url.decode", str("base64url.decode", a, 0), true));
register("hex.encode", 1, (a) => Buffer.from(str("hex.encode", a, 0), "utf8").toString("hex"));
register("hex.decode", 1, (a) => {
  const s = str("hex.decode", a, 0);
  const bad = s.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new BuiltinError(`hex.decode: encoding/hex: invalid byte: U+${s.charCodeAt(bad).toString(16).toUpperCase().padStart(4, "0")} '${s[bad]}'`);
  if (s.length % 2) throw new BuiltinError("hex.decode: encoding/hex: odd length hex string");
  return Buffer.from(s, "hex").toString("utf8");
});

// Go's url.QueryEscape: space → '+', unreserved kept.
function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
function queryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new BuiltinError(`urlquery.decode: invalid URL escape`);
  }
}
register("urlquery.encode", 1, (a) => queryEscape(str("urlquery.encode", a, 0)));
register("urlquery.decode", 1, (a) => queryUnescape(str("urlquery.decode", a, 0)));
register("urlquery.encode_object", 1, ([o]) => {
  if (!(o instanceof RegoObject)) throw typeError("urlquery.encode_object", 1, "object", o);
  const parts: string[] = [];
  for (const [k, v] of o.sortedEntries()) {
    const vals = typeof v === "string" ? [v] : Array.isArray(v) ? v : v instanceof RegoSet ? v.sorted() : undefined;
    if (!vals) throw new BuiltinError("urlquery.encode_object: values must be strings, arrays or sets of strings", "eval_type_error");
    for (const x of vals) parts.push(`${queryEscape(String(k))}=${queryEscape(String(x))}`);
  }
  return parts.join("&");
});
register("urlquery.decode_object", 1, (a) => {
  const out = new RegoObject();
  const s = str("urlquery.decode_object", a, 0);
  for (const part of s.split(/[&]/)) {
    if (!part) continue;
    const [k, v = ""] = part.split("=", 2);
    const key = queryUnescape(k);
    const prev = (out.get(key) as Value[] | undefined) ?? [];
    out.set(key, [...prev, queryUnescape(v)]);
  }
  return out;
});

register("json.marshal", 1, ([v]) => toJsonText(v));
register("json.marshal_with_options", 2, ([v, opts]) => {
  const o = opts instanceof RegoObject ? opts : new RegoObject();
  for (const k of o.keys()) if (k !== "indent" && k !== "prefix" && k !== "pretty") throw new BuiltinError(`json.marshal_with_options: object contained unknown key ${toJsonText(k)}`, "eval_type_error");
  const indent = o.get("indent");
  const prefix = o.get("prefix");
  if (o.get("pretty") === false || (indent === undefined && prefix === undefined && o.get("pretty") !== true)) return toJsonText(v);
  const text = JSON.stringify(JSON.parse(toJsonText(v)), null, typeof indent === "string" ? indent : "\t");
  return typeof prefix === "string" ? text.split("\n").map((l) => prefix + l).join("\n") : text;
});
register("json.unmarshal", 1, (a) => {
  const text = str("json.unmarshal", a, 0);
  try {
    return parseJsonValue(text);
  } catch (err) {
    throw new BuiltinError(`json.unmarshal: ${(err as Error).message}`);
  }
});
register("json.is_valid", 1, ([s]) => {
  if (typeof s !== "string") return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
});
register("yaml.marshal", 1, ([v]) => stringifyYaml(toJs(v)));
register("yaml.unmarshal", 1, (a) => {
  try {
    return fromJs(parseYaml(str("yaml.unmarshal", a, 0)) as unknown);
  } catch (err) {
    throw new BuiltinError(`yaml.unmarshal: yaml: ${(err as Error).message}`);
  }
});
register("yaml.is_valid", 1, ([s]) => {
  if (typeof s !== "string") return false;
  try {
    parseYaml(s);
    return true;
  } catch {
    return false;
  }
});
