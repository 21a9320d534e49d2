// hindsight check --policies <dir> [--now <RFC3339>] [--jwks <file>] [--strict-evaluation] [--lenient-scope-search]
//                 [--schema-enforcement none|warn|reject] [--default-policy-version <v>] [--globals <json>]
// stdin: NDJSON of Cerbos CheckResources request bodies; stdout: NDJSON of response bodies.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { compileCerbosDirectory, type EngineConfig } from "../../lib/engine/cerbos/index.ts";
import { checkResourcesRequestSchema, describeRequestError, outputsToResponse, requestToInputs, requestToVerifiedInputs } from "../../lib/engine/cerbos/http-api.ts";
import type { JSONWebKeySet } from "jose";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";
import { engineOptions, formatCompileErrors, parseEngineOptions, parseNow } from "../../lib/engine/cerbos/cli-options.ts";

const USAGE = "usage: hindsight check --policies <dir> [--now <RFC3339>] [--jwks <file>] [--strict-evaluation] [--lenient-scope-search] [--schema-enforcement none|warn|reject] < requests.ndjson";

const check: Command = async (args, io) => {
  let values;
  try {
    values = parseArgs({ args, options: { policies: { type: "string" }, now: { type: "string" }, jwks: { type: "string" }, help: { type: "boolean", short: "h" }, ...engineOptions } }).values;
  } catch (err) {
    writeLine(io.stderr, `hindsight check: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (!values.policies) {
    writeLine(io.stderr, `hindsight check: --policies is required\n${USAGE}`);
    return EXIT_USAGE;
  }
  // Without --now each request is evaluated at the wall-clock time it is read, as a PDP would.
  const fixedNow = values.now === undefined ? undefined : parseNow(values.now);
  if (values.now !== undefined && !fixedNow) {
    writeLine(io.stderr, `hindsight check: --now must be an RFC 3339 timestamp, got "${values.now}"`);
    return EXIT_USAGE;
  }
  let config: Partial<EngineConfig>;
  try {
    config = parseEngineOptions(values);
  } catch (err) {
    writeLine(io.stderr, `hindsight check: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  // Without --jwks tokens are decoded without signature verification.
  let jwks: JSONWebKeySet | undefined;
  if (values.jwks) {
    try {
      jwks = JSON.parse(readFileSync(values.jwks, "utf8")) as JSONWebKeySet;
      if (!Array.isArray(jwks.keys)) throw new Error("no keys array");
    } catch (err) {
      writeLine(io.stderr, `hindsight check: --jwks must be a JSON Web Key Set file: ${(err as Error).message}`);
      return EXIT_USAGE;
    }
  }
  let compiled;
  try {
    compiled = compileCerbosDirectory(values.policies, config);
  } catch (err) {
    writeLine(io.stderr, `hindsight check: cannot read policies: ${(err as Error).message}`);
    return EXIT_USAGE;
  }
  if (!compiled.ok) {
    writeLine(io.stderr, formatCompileErrors(compiled.errors));
    return EXIT_USAGE;
  }
  const policySet = compiled.policySet!;
  let lineNo = 0;
  let failed = 0;
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === "") continue;
    let body: unknown;
    try {
      body = JSON.parse(line);
    } catch (err) {
      writeLine(io.stderr, `line ${lineNo}: invalid JSON: ${(err as Error).message}`);
      failed++;
      continue;
    }
    const parsed = checkResourcesRequestSchema.safeParse(body);
    if (!parsed.success) {
      writeLine(io.stderr, `line ${lineNo}: invalid request: ${describeRequestError(parsed.error)}`);
      failed++;
      continue;
    }
    let inputs;
    try {
      inputs = jwks ? await requestToVerifiedInputs(parsed.data, jwks, fixedNow ?? new Date()) : requestToInputs(parsed.data);
    } catch (err) {
      writeLine(io.stderr, `line ${lineNo}: auxData JWT rejected: ${(err as Error).message}`);
      failed++;
      continue;
    }
    const outputs = policySet.evaluate(inputs, { now: fixedNow ?? new Date() });
    writeLine(io.stdout, JSON.stringify(outputsToResponse(parsed.data, outputs)));
  }
  return failed > 0 ? 1 : 0;
};

export default check;
