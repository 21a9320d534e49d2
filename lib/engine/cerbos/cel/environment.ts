// The CEL environment Cerbos conditions run in: @marcbachmann/cel-js (chosen for speed, see
// docs/engine.md) plus the extension families cel-go provides and Cerbos's own functions.
import { Environment } from "@marcbachmann/cel-js";
import { registerCerbosLib } from "./cerbos-lib.ts";
import { registerHierarchy } from "./cerbos-hierarchy.ts";
import { registerSpiffe } from "./cerbos-spiffe.ts";
import { normalizeCelError, referencedMapFields } from "./errors.ts";
import { registerEncoders } from "./ext-encoders.ts";
import { registerLists } from "./ext-lists.ts";
import { registerMath } from "./ext-math.ts";
import { registerNetwork } from "./ext-network.ts";
import { registerOptionalEquality } from "./ext-optional.ts";
import { registerRegex } from "./ext-regex.ts";
import { registerSets } from "./ext-sets.ts";
import { registerStrings } from "./ext-strings.ts";
import { registerTime } from "./ext-time.ts";
import { registerTwoVarComprehensions } from "./ext-two-var.ts";
import { patchExpressionTree } from "./ast-patches.ts";
import { rewriteSource } from "./source-rewrite.ts";

/** Names every Cerbos expression can read. */
export const CEL_VARIABLES = ["request", "P", "R", "runtime", "constants", "C", "variables", "V", "globals", "G"] as const;

export type Activation = Record<(typeof CEL_VARIABLES)[number], unknown>;

function buildEnvironment(): Environment {
  const env = new Environment({
    unlistedVariablesAreDyn: false,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  });
  for (const name of CEL_VARIABLES) env.registerVariable(name, "dyn");
  // Bindings (cel.bind) and OptionalTypes are built into the library.
  registerTime(env);
  registerStrings(env);
  registerLists(env);
  registerSets(env);
  registerMath(env);
  registerEncoders(env);
  registerRegex(env);
  registerNetwork(env);
  registerTwoVarComprehensions(env);
  registerOptionalEquality(env);
  registerCerbosLib(env);
  registerHierarchy(env);
  registerSpiffe(env);
  return env;
}

let sharedEnv: Environment | undefined;
export function celEnvironment(): Environment {
  sharedEnv ??= buildEnvironment();
  return sharedEnv;
}

/** A parsed expression, ready to run many times. */
export interface CelProgram {
  readonly source: string;
  /** Runs the expression; returns the value or throws a CelEvalError with a cel-go message. */
  run(activation: Activation): unknown;
}

export class CelEvalError extends Error {}

export type CelCompileResult = { ok: true; program: CelProgram } | { ok: false; error: string };

function mapFieldMissing(activation: Activation, name: string): boolean {
  for (const key of ["V", "C", "G"] as const) {
    const m = activation[key] as Record<string, unknown> | undefined;
    if (m && !(name in m)) return true;
  }
  return false;
}

export function compileCel(source: string): CelCompileResult {
  const env = celEnvironment();
  let fn: (ctx: Activation) => unknown;
  try {
    const parsed = env.parse(rewriteSource(source));
    patchExpressionTree((parsed as unknown as { ast: unknown }).ast);
    fn = parsed as unknown as (ctx: Activation) => unknown;
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
  }
  const mapFields = referencedMapFields(source);
  return {
    ok: true,
    program: {
      source,
      run(activation: Activation): unknown {
        try {
          return fn(activation);
        } catch (err) {
          throw new CelEvalError(normalizeCelError(err, mapFields, (name) => mapFieldMissing(activation, name)));
        }
      },
    },
  };
}
