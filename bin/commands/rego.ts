// hindsight rego eval --cases <file.json>
// hindsight rego eval --bundle <dir|tar.gz> --query <query> [--input <file.json>] [--now <RFC3339>] [--explain]
// --cases: evaluates every case of an OPA conformance-shaped file (want_* ignored) and prints one
// NDJSON line per case: {file, note, result: [bindings]} or {file, note, error: {code, message}}.
// --bundle: evaluates one query against a bundle and prints {"result": [bindings]} (a query that
// is a single term, e.g. data.authz.allow, binds its value to "value"); --explain adds the trace of
// rules evaluated and body expressions that held or failed.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { readArchive } from "../../lib/policies/archive.ts";
import { type BundleFile, loadBundleFiles } from "../../lib/engine/rego/bundle.ts";
import { caseFromValue, runCase } from "../../lib/engine/rego/conformance.ts";
import { compileRego } from "../../lib/engine/rego/engine.ts";
import { RegoError } from "../../lib/engine/rego/errors.ts";
import { parseQuery } from "../../lib/engine/rego/parser/module.ts";
import { parseJsonValue, toJsonText } from "../../lib/engine/rego/values/json.ts";
import { RegoObject, type Value } from "../../lib/engine/rego/values/value.ts";
import { type CliIO, type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = [
  "usage: hindsight rego eval --cases <file.json>",
  "       hindsight rego eval --bundle <dir|bundle.tar.gz> --query <query> [--input <file.json>] [--now <RFC3339>] [--explain]",
].join("\n");

const rego: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === "--help" || sub === "-h") {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (sub !== "eval") {
    writeLine(io.stderr, `hindsight rego: unknown subcommand ${JSON.stringify(sub ?? "")}\n${USAGE}`);
    return EXIT_USAGE;
  }
  let values;
  try {
    values = parseArgs({ args: rest, options: { cases: { type: "string" }, bundle: { type: "string" }, query: { type: "string" }, input: { type: "string" }, now: { type: "string" }, explain: { type: "boolean" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (err) {
    writeLine(io.stderr, `hindsight rego eval: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (values.cases) return evalCases(values.cases, io);
  if (values.bundle) {
    if (!values.query) {
      writeLine(io.stderr, `hindsight rego eval: --query is required with --bundle\n${USAGE}`);
      return EXIT_USAGE;
    }
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) {
      writeLine(io.stderr, `hindsight rego eval: --now must be an RFC 3339 timestamp, got "${values.now}"`);
      return EXIT_USAGE;
    }
    return evalBundle(values.bundle, values.query, values.input, now, values.explain ?? false, io);
  }
  writeLine(io.stderr, `hindsight rego eval: give --cases or --bundle\n${USAGE}`);
  return EXIT_USAGE;
};

function evalCases(file: string, io: CliIO): number {
  let doc: Value;
  try {
    doc = parseJsonValue(readFileSync(file, "utf8"));
  } catch (err) {
    writeLine(io.stderr, `hindsight rego eval: cannot read ${file}: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  const cases = doc instanceof RegoObject ? doc.get("cases") : doc;
  if (!Array.isArray(cases)) {
    writeLine(io.stderr, `hindsight rego eval: ${file} must hold a "cases" array`);
    return EXIT_USAGE;
  }
  for (const raw of cases) {
    const c = caseFromValue(raw);
    let outcome;
    try {
      outcome = runCase(c);
    } catch (err) {
      outcome = { error: { code: "eval_internal_error", message: (err as Error).message } };
    }
    const head = `{"file":${JSON.stringify(c.file ?? "")},"note":${JSON.stringify(c.note)}`;
    if ("error" in outcome) writeLine(io.stdout, `${head},"error":${JSON.stringify(outcome.error)}}`);
    else writeLine(io.stdout, `${head},"result":[${outcome.result.map(toJsonText).join(",")}]}`);
  }
  return 0;
}

function readBundle(path: string): BundleFile[] {
  if (statSync(path).isDirectory()) {
    const out: BundleFile[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else out.push({ path: relative(path, full).split("\\").join("/"), bytes: readFileSync(full) });
      }
    };
    walk(path);
    return out;
  }
  return readArchive(readFileSync(path), path);
}

function evalBundle(path: string, query: string, inputFile: string | undefined, now: Date, explain: boolean, io: CliIO): number {
  let files: BundleFile[];
  let input: Value | undefined;
  try {
    files = readBundle(path);
    if (inputFile) input = parseJsonValue(readFileSync(inputFile, "utf8"));
  } catch (err) {
    writeLine(io.stderr, `hindsight rego eval: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  try {
    const bundle = loadBundleFiles(files);
    const compiled = compileRego(bundle.modules, bundle.data);
    const body = parseQuery(query);
    const single = body.length === 1 && body[0].kind === "term" && !body[0].negated;
    const q = single ? `value = ${query}` : query;
    const { bindings, trace } = compiled.query(q, { input, now, explain });
    const rows = bindings.map((b) => `{${[...b].map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(",")}}`);
    const explanation = trace ? `,"explanation":${JSON.stringify(trace)}` : "";
    writeLine(io.stdout, `{"result":[${rows.join(",")}]${explanation}}`);
    return 0;
  } catch (err) {
    if (err instanceof RegoError) {
      writeLine(io.stdout, JSON.stringify({ error: { code: err.code, message: err.message } }));
      return 1;
    }
    throw err;
  }
}

export default rego;
