// Masking rules: which parts of a decision record are sensitive. One rule per entry, either
//
//   a path    principal.attr.email   *.attr.email   **.email   auxData.jwt.*   $.requested_by
//   a detector  detect:email   detect:ip   detect:jwt   detect:bearer
//   @defaults   (the built-in list, so an override can extend it rather than copy it)
//
// Paths are dot-separated keys. `*` is any one key or array index, `**` any number of them (zero
// included). A path matches at ANY depth unless it starts with `$`, which anchors it at the decision
// entry (the record as stored, transport envelope removed): `principal.attr.email` therefore finds
// the principal of every Cerbos CheckInput (checkResources.inputs.N.principal) and of a PlanResources
// input alike. Keys compare case-insensitively (HTTP header names, attribute spellings); a segment of
// digits also matches that array index; a key with dots, spaces or quotes is written in double quotes
// (`metadata."x.custom"`). A matched node is masked whole (an object or array becomes one marker).
// Pure: no I/O.
import { DETECTORS, type Detector, isDetector } from "./detectors.ts";

export type Segment = { type: "key"; name: string } | { type: "any" } | { type: "deep" };

export interface PathRule {
  kind: "path";
  /** As written (trimmed). */
  text: string;
  anchored: boolean;
  segments: Segment[];
  /** The last literal key, shown in the marker when no detector names the value ("authorization"). */
  label: string;
}

export interface DetectRule {
  kind: "detect";
  text: string;
  detector: Detector;
}

export type Rule = PathRule | DetectRule;

export interface RuleError {
  /** Where the entry came from: "line 3", "entry 2". */
  where: string;
  text: string;
  message: string;
}

export const MAX_RULE_LENGTH = 300;
export const MAX_RULES = 500;
const MAX_SEGMENTS = 32;

export const DEFAULTS_TOKEN = "@defaults";

/**
 * The built-in list: personal data, network addresses and credentials as Cerbos and OPA (Envoy
 * ext_authz, MCP gateways) log them. Identity ids (principal.id, sub, act chains) are NOT masked by
 * path: they are what an investigation follows; the e-mail detector still masks ids that are
 * e-mail addresses.
 */
export const BUILTIN_RULES: readonly string[] = [
  // Personal data in principal / resource attributes and JWT claims (Cerbos auxData.jwt, decoded OPA tokens).
  "**.email",
  "**.email_address",
  "**.phone",
  "**.phone_number",
  "**.given_name",
  "**.family_name",
  "**.birthdate",
  "**.address.street_address",
  // Network addresses: Cerbos peer, OPA requested_by, Envoy source address, common attribute names.
  "peer.address",
  "peer.forwardedFor",
  "$.requested_by",
  "**.socketAddress.address",
  "**.ip",
  "**.ip_address",
  "**.client_ip",
  "**.remote_addr",
  // Credentials: headers (Envoy input.attributes.request.http.headers, Cerbos metadata) and token fields.
  "**.headers.authorization",
  "**.headers.proxy-authorization",
  "**.headers.cookie",
  "**.headers.set-cookie",
  "**.headers.x-api-key",
  "**.headers.x-forwarded-access-token",
  "**.headers.x-forwarded-for",
  "**.headers.x-real-ip",
  "metadata.authorization",
  "metadata.cookie",
  "metadata.x-forwarded-for",
  "**.token",
  "**.access_token",
  "**.id_token",
  "**.refresh_token",
  "**.password",
  "**.client_secret",
  "**.api_key",
  // Whatever the paths miss, by shape.
  "detect:email",
  "detect:ip",
  "detect:jwt",
  "detect:bearer",
];

class ParseFailure extends Error {}

function parsePath(text: string): { anchored: boolean; segments: Segment[] } {
  const segments: Segment[] = [];
  let anchored = false;
  let i = 0;
  const expectSegmentEnd = () => {
    if (i === text.length) return;
    if (text[i] !== ".") throw new ParseFailure(`unexpected ${JSON.stringify(text[i])} at character ${i + 1} (segments are separated by dots)`);
    i++;
    if (i === text.length) throw new ParseFailure("ends with a dot");
  };
  while (i < text.length) {
    const start = i;
    if (text[i] === ".") throw new ParseFailure(i === 0 ? "starts with a dot" : `empty segment at character ${i + 1} (two dots in a row)`);
    if (text[i] === '"') {
      let name = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ParseFailure(`unterminated quote starting at character ${start + 1}`);
        const c = text[i];
        if (c === "\\") {
          if (i + 1 >= text.length) throw new ParseFailure(`unterminated quote starting at character ${start + 1}`);
          name += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          i++;
          break;
        }
        name += c;
        i++;
      }
      if (name === "") throw new ParseFailure(`empty quoted key at character ${start + 1}`);
      segments.push({ type: "key", name: name.toLowerCase() });
      expectSegmentEnd();
      continue;
    }
    let end = i;
    while (end < text.length && text[end] !== ".") end++;
    const word = text.slice(i, end);
    i = end;
    if (word === "$") {
      if (start !== 0) throw new ParseFailure(`"$" may only start a path (it anchors the path at the record's root)`);
      anchored = true;
    } else if (word === "*") segments.push({ type: "any" });
    else if (word === "**") {
      // "**.**" is the same as "**"; keep one so matching stays linear.
      if (segments.at(-1)?.type !== "deep") segments.push({ type: "deep" });
    } else if (/[\s"[\]$]/.test(word)) {
      const bad = /[\s"[\]$]/.exec(word)![0];
      throw new ParseFailure(
        bad === "[" || bad === "]"
          ? `"${word}": write array indices as segments (inputs.0 or inputs.*), not brackets`
          : `"${word}" contains ${bad === '"' ? "a quote" : /\s/.test(bad) ? "a space" : `"${bad}"`}; quote such keys: "…"`,
      );
    } else if (word.includes("*")) {
      throw new ParseFailure(`"${word}": * must be a whole segment (partial wildcards such as x-* are not supported)`);
    } else segments.push({ type: "key", name: word.toLowerCase() });
    expectSegmentEnd();
  }
  if (segments.length > MAX_SEGMENTS) throw new ParseFailure(`has ${segments.length} segments, at most ${MAX_SEGMENTS} are allowed`);
  if (!segments.some((s) => s.type === "key")) {
    throw new ParseFailure(anchored && segments.length === 0 ? `"$" alone would mask the whole record` : "has no key name: it would mask every field");
  }
  return { anchored, segments };
}

function lastLiteral(text: string, segments: Segment[]): string {
  // The label keeps the spelling the admin wrote, not the lower-cased key.
  const literal = [...segments].reverse().find((s) => s.type === "key") as { name: string };
  const written = text.split(".").reverse().find((w) => w.replace(/^"|"$/g, "").toLowerCase() === literal.name);
  return written ? written.replace(/^"|"$/g, "") : literal.name;
}

/** Parses one entry; throws an Error whose message says what is wrong (without the position prefix). */
export function parseRule(raw: string): Rule {
  const text = raw.trim();
  if (text === "") throw new Error("is empty");
  if (text.length > MAX_RULE_LENGTH) throw new Error(`is ${text.length} characters long, at most ${MAX_RULE_LENGTH} are allowed`);
  const detectMatch = /^detect\s*:\s*(.*)$/i.exec(text);
  if (detectMatch) {
    const name = detectMatch[1].trim().toLowerCase();
    if (!isDetector(name)) throw new Error(`unknown detector "${detectMatch[1].trim()}" (known: ${DETECTORS.join(", ")})`);
    return { kind: "detect", text: `detect:${name}`, detector: name };
  }
  if (text.startsWith("@")) throw new Error(`unknown directive "${text}" (the only one is ${DEFAULTS_TOKEN})`);
  try {
    const { anchored, segments } = parsePath(text);
    return { kind: "path", text, anchored, segments, label: lastLiteral(text, segments) };
  } catch (err) {
    if (err instanceof ParseFailure) throw new Error(err.message);
    throw err;
  }
}

export interface RuleEntry {
  text: string;
  where: string;
}

/**
 * Parses entries, expanding @defaults into the built-in list and dropping exact duplicates. Every bad
 * entry is reported (not just the first), each naming where it came from.
 */
export function parseRules(entries: RuleEntry[]): { rules: Rule[]; errors: RuleError[] } {
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  const seen = new Set<string>();
  const add = (rule: Rule) => {
    const key = rule.kind === "detect" ? rule.text : `${rule.anchored ? "$" : ""}${JSON.stringify(rule.segments)}`;
    if (seen.has(key)) return;
    seen.add(key);
    rules.push(rule);
  };
  for (const entry of entries) {
    const text = entry.text.trim();
    if (text.toLowerCase() === DEFAULTS_TOKEN) {
      for (const b of BUILTIN_RULES) add(parseRule(b));
      continue;
    }
    try {
      add(parseRule(text));
    } catch (err) {
      errors.push({ where: entry.where, text, message: (err as Error).message });
    }
  }
  if (rules.length > MAX_RULES) errors.push({ where: "list", text: "", message: `holds ${rules.length} rules, at most ${MAX_RULES} are allowed` });
  return { rules, errors };
}

/** Text with one rule per line: blank lines and lines starting with # are skipped; errors name the line. */
export function parseRuleLines(text: string): { rules: Rule[]; errors: RuleError[]; entries: string[] } {
  const entries: RuleEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) return;
    entries.push({ text: t, where: `line ${i + 1}` });
  });
  return { ...parseRules(entries), entries: entries.map((e) => e.text) };
}

/** A comma-separated list (HINDSIGHT_SENSITIVE_PATHS); errors name the entry by position. */
export function parseRuleCsv(text: string): { rules: Rule[]; errors: RuleError[]; entries: string[] } {
  const entries = text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "")
    .map((t, i) => ({ text: t, where: `entry ${i + 1}` }));
  return { ...parseRules(entries), entries: entries.map((e) => e.text) };
}

export function formatRuleErrors(errors: RuleError[]): string {
  return errors.map((e) => `${e.where}${e.text ? ` ("${e.text}")` : ""}: ${e.message}`).join("; ");
}

/** Rules ready for matching. */
export interface RuleSet {
  paths: PathRule[];
  detectors: ReadonlySet<Detector>;
  /** The rules as written, in order (for manifests and the settings page). */
  texts: string[];
}

export function compileRules(rules: Rule[]): RuleSet {
  return {
    paths: rules.filter((r): r is PathRule => r.kind === "path"),
    detectors: new Set(rules.filter((r): r is DetectRule => r.kind === "detect").map((r) => r.detector)),
    texts: rules.map((r) => r.text),
  };
}

/** Parses and compiles a list that must be valid (the built-ins, tests); throws naming every bad entry. */
export function ruleSetOf(texts: readonly string[]): RuleSet {
  const { rules, errors } = parseRules(texts.map((text, i) => ({ text, where: `rule ${i + 1}` })));
  if (errors.length) throw new Error(`invalid masking rules: ${formatRuleErrors(errors)}`);
  return compileRules(rules);
}

export const BUILTIN_RULE_SET: RuleSet = ruleSetOf(BUILTIN_RULES);

/** A rule set that masks nothing. */
export const NO_RULES: RuleSet = { paths: [], detectors: new Set(), texts: [] };
