// Cerbos's own CEL functions (internal/conditions/cerbos_lib.go): set operations, now(),
// timeSince(), inIPAddrRange(), path helpers and id().
import { Environment } from "@marcbachmann/cel-js";
import { evaluationTime } from "./clock.ts";
import { CelRuntimeError } from "./errors.ts";
import { cidrContains, parseCIDR, parseIP } from "./ip.ts";
import { celIndexOf } from "./values.ts";

type DurationCtor = new (seconds: bigint, nanos: number) => unknown;
// The library does not export its Duration class; take it from a value it creates.
export const Duration = (new Environment().evaluate('duration("1s")') as object).constructor as DurationCtor;

export function durationFromMillis(ms: number): unknown {
  const totalNanos = BigInt(Math.trunc(ms)) * 1_000_000n;
  return new Duration(totalNanos / 1_000_000_000n, Number(totalNanos % 1_000_000_000n));
}

function hasIntersection(a: unknown[], b: unknown[]): boolean {
  return a.some((x) => celIndexOf(b, x) >= 0);
}

function intersect(a: unknown[], b: unknown[]): unknown[] {
  let [short, long] = [a, b];
  if (a.length > b.length) [short, long] = [b, a];
  return short.filter((x) => celIndexOf(long, x) >= 0);
}

function except(a: unknown[], b: unknown[]): unknown[] {
  return a.filter((x) => celIndexOf(b, x) < 0);
}

function isSubset(a: unknown[], b: unknown[]): boolean {
  return a.every((x) => celIndexOf(b, x) >= 0);
}

function inIPAddrRange(ip: string, cidr: string): boolean {
  const parsedIP = parseIP(ip);
  if (!parsedIP || parsedIP.zone !== undefined) throw new CelRuntimeError(`invalid IP address: ${ip}`);
  const parsedCIDR = parseCIDR(cidr);
  if (!parsedCIDR) throw new CelRuntimeError(`invalid CIDR address: ${cidr}`);
  return cidrContains(parsedCIDR, parsedIP);
}

function timeSince(t: Date): unknown {
  return durationFromMillis(evaluationTime().getTime() - t.getTime());
}

// Path helpers follow Go's path/filepath on Unix.
function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
    } else out.push(seg);
  }
  const joined = out.join("/");
  return rooted ? "/" + joined : joined || ".";
}

function basePath(p: string): string {
  if (p === "") return ".";
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function dirPath(p: string): string {
  const i = p.lastIndexOf("/");
  return cleanPath(p.slice(0, i + 1));
}

function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== "/"; i--) if (p[i] === ".") return p.slice(i);
  return "";
}

function relPath(base: string, target: string): string {
  const b = cleanPath(base);
  const t = cleanPath(target);
  if (b === t) return ".";
  if (b.startsWith("/") !== t.startsWith("/")) throw new CelRuntimeError(`Rel: can't make ${target} relative to ${base}`);
  const bs = b === "." ? [] : b.replace(/^\//, "").split("/").filter(Boolean);
  const ts = t === "." ? [] : t.replace(/^\//, "").split("/").filter(Boolean);
  let i = 0;
  while (i < bs.length && i < ts.length && bs[i] === ts[i]) i++;
  if (bs.slice(i).includes("..")) throw new CelRuntimeError(`Rel: can't make ${target} relative to ${base}`);
  return [...new Array<string>(bs.length - i).fill(".."), ...ts.slice(i)].join("/") || ".";
}

function pathHasPrefix(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  const rel = relPath(prefix, path);
  return rel.length > 0 && rel[0] !== "." && rel[0] !== "/";
}

function pathPatternToRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new CelRuntimeError("syntax error in pattern");
      let body = pattern.slice(i + 1, end);
      if (body.startsWith("^")) body = "^" + body.slice(1);
      re += "[" + body + "]";
      i = end;
    } else if (ch === "\\" && i + 1 < pattern.length) re += "\\" + pattern[++i];
    else re += /[.+^${}()|\\/]/.test(ch) ? "\\" + ch : ch;
  }
  return new RegExp("^" + re + "$", "s");
}

function pathMatch(path: string, pattern: string): boolean {
  return pathPatternToRegex(pattern).test(path);
}

export function registerCerbosLib(env: Environment): void {
  for (const name of ["hasIntersection", "has_intersection"]) {
    env.registerFunction(`${name}(list, list): bool`, hasIntersection);
    env.registerFunction(`list.${name}(list): bool`, hasIntersection);
  }
  for (const name of ["isSubset", "is_subset"]) {
    env.registerFunction(`${name}(list, list): bool`, isSubset);
    env.registerFunction(`list.${name}(list): bool`, isSubset);
  }
  env
    .registerFunction("intersect(list, list): list", intersect)
    .registerFunction("list.intersect(list): list", intersect)
    .registerFunction("except(list, list): list", except)
    .registerFunction("list.except(list): list", except)
    .registerFunction("string.inIPAddrRange(string): bool", inIPAddrRange)
    .registerFunction("now(): google.protobuf.Timestamp", () => evaluationTime())
    .registerFunction("timeSince(google.protobuf.Timestamp): google.protobuf.Duration", timeSince)
    .registerFunction("google.protobuf.Timestamp.timeSince(): google.protobuf.Duration", timeSince)
    .registerFunction("id(dyn): dyn", (v: unknown) => v)
    .registerFunction("basePath(string): string", basePath)
    .registerFunction("dirPath(string): string", dirPath)
    .registerFunction("extPath(string): string", extPath)
    .registerFunction("joinPath(list): string", (l: unknown[]) => {
      const parts = l.map(String).filter((s) => s !== "");
      return parts.length ? cleanPath(parts.join("/")) : "";
    })
    .registerFunction("pathHasPrefix(string, string): bool", pathHasPrefix)
    .registerFunction("string.pathHasPrefix(string): bool", pathHasPrefix)
    .registerFunction("pathMatch(string, string): bool", pathMatch)
    .registerFunction("string.pathMatch(string): bool", pathMatch)
    .registerFunction("pathMatchAnyOf(string, list): bool", (p: string, l: unknown[]) => l.some((x) => pathMatch(p, String(x))))
    .registerFunction("string.pathMatchAnyOf(list): bool", (p: string, l: unknown[]) => l.some((x) => pathMatch(p, String(x))))
    .registerFunction("relPath(string, string): string", relPath)
    .registerFunction("volumeName(string): string", () => "");
}
