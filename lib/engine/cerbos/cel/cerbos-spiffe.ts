// Cerbos SPIFFE functions: spiffeID(), spiffeTrustDomain() and the spiffeMatch* matchers.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";

export class SpiffeID {
  constructor(readonly trustDomain: string, readonly path: string) {}
  toString(): string {
    return `spiffe://${this.trustDomain}${this.path}`;
  }
}

export class SpiffeTrustDomain {
  constructor(readonly name: string) {}
}

export class SpiffeMatcher {
  constructor(readonly test: (id: SpiffeID) => boolean) {}
}

const TD_RE = /^[a-z0-9._-]+$/;

// Validation and messages follow github.com/spiffe/go-spiffe/v2 (spiffeid.FromString).
function spiffeError(reason: string): CelRuntimeError {
  return new CelRuntimeError(`failed to parse SPIFFE ID: ${reason}`);
}

function parseSpiffeID(s: string): SpiffeID {
  if (!s.startsWith("spiffe://")) throw spiffeError(s === "" ? "cannot be empty" : "scheme is missing or invalid");
  const rest = s.slice("spiffe://".length);
  const slash = rest.indexOf("/");
  const td = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "" : rest.slice(slash);
  if (td === "") throw spiffeError("trust domain is missing");
  if (!TD_RE.test(td)) throw spiffeError("trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores");
  if (path) {
    const segments = path.split("/").slice(1);
    if (segments.some((seg) => seg === "")) throw spiffeError(path.endsWith("/") && !path.slice(0, -1).includes("//") ? "path cannot have a trailing slash" : "path cannot contain empty segments");
    if (segments.some((seg) => seg === "." || seg === "..")) throw spiffeError("path cannot contain dot segments");
    if (segments.some((seg) => !/^[A-Za-z0-9._-]+$/.test(seg))) throw spiffeError("path segment characters are limited to letters, numbers, dots, dashes, and underscores");
  }
  return new SpiffeID(td, path);
}

function parseTrustDomain(s: string): SpiffeTrustDomain {
  const name = s.startsWith("spiffe://") ? parseSpiffeID(s).trustDomain : s;
  if (!TD_RE.test(name)) throw new CelRuntimeError(`invalid trust domain: ${s}`);
  return new SpiffeTrustDomain(name);
}

export function registerSpiffe(env: Environment): void {
  const ID = "cerbos.lib.spiffe.ID";
  const TD = "cerbos.lib.spiffe.TrustDomain";
  const M = "cerbos.lib.spiffe.Matcher";
  env
    .registerType(ID, SpiffeID)
    .registerType(TD, SpiffeTrustDomain)
    .registerType(M, SpiffeMatcher)
    .registerFunction(`spiffeID(string): ${ID}`, parseSpiffeID)
    .registerFunction(`spiffeTrustDomain(string): ${TD}`, parseTrustDomain)
    .registerFunction(`${ID}.path(): string`, (id: SpiffeID) => id.path)
    .registerFunction(`${ID}.trustDomain(): ${TD}`, (id: SpiffeID) => new SpiffeTrustDomain(id.trustDomain))
    .registerFunction(`${ID}.isMemberOf(${TD}): bool`, (id: SpiffeID, td: SpiffeTrustDomain) => id.trustDomain === td.name)
    .registerFunction(`string(${ID}): string`, (id: SpiffeID) => id.toString())
    .registerFunction(`${TD}.name(): string`, (td: SpiffeTrustDomain) => td.name)
    .registerFunction(`${TD}.id(): ${ID}`, (td: SpiffeTrustDomain) => new SpiffeID(td.name, ""))
    .registerOperator(`${ID} == ${ID}`, (a: SpiffeID, b: SpiffeID) => a.toString() === b.toString())
    .registerOperator(`${TD} == ${TD}`, (a: SpiffeTrustDomain, b: SpiffeTrustDomain) => a.name === b.name)
    .registerFunction(`spiffeMatchAny(): ${M}`, () => new SpiffeMatcher(() => true))
    .registerFunction(`spiffeMatchExact(${ID}): ${M}`, (x: SpiffeID) => new SpiffeMatcher((id) => id.toString() === x.toString()))
    .registerFunction(`spiffeMatchExact(string): ${M}`, (s: string) => {
      const x = parseSpiffeID(s);
      return new SpiffeMatcher((id) => id.toString() === x.toString());
    })
    .registerFunction(`spiffeMatchOneOf(list): ${M}`, (l: unknown[]) => {
      const ids = l.map((v) => (v instanceof SpiffeID ? v : parseSpiffeID(String(v))).toString());
      return new SpiffeMatcher((id) => ids.includes(id.toString()));
    })
    .registerFunction(`spiffeMatchTrustDomain(${TD}): ${M}`, (td: SpiffeTrustDomain) => new SpiffeMatcher((id) => id.trustDomain === td.name))
    .registerFunction(`spiffeMatchTrustDomain(string): ${M}`, (s: string) => {
      const td = parseTrustDomain(s);
      return new SpiffeMatcher((id) => id.trustDomain === td.name);
    })
    .registerFunction(`${M}.matchesID(${ID}): bool`, (m: SpiffeMatcher, id: SpiffeID) => m.test(id))
    .registerFunction(`${M}.matchesID(string): bool`, (m: SpiffeMatcher, s: string) => m.test(parseSpiffeID(s)))
    .registerFunction(`${ID}.matchesID(${ID}): bool`, (a: SpiffeID, b: SpiffeID) => a.toString() === b.toString());
}
