// Public entry point of the embedded Cerbos engine: compile a policy set once, then check
// requests synchronously against it.
import type { CompileError, CompileOutcome, CompiledPolicySet, EvaluateOptions, PolicyEngine } from "../types.ts";
import { DEFAULT_ENGINE_CONFIG, type CheckInput, type CheckOutput, type EngineConfig } from "./api-types.ts";
import { setEvaluationTime } from "./cel/clock.ts";
import { compilePolicySources } from "./compile/compiler.ts";
import { checkInput } from "./eval/check.ts";
import { SchemaValidator } from "./eval/schema-validator.ts";
import { RuleTable } from "./index/rule-table.ts";
import { loadPolicyDirectory, type PolicySources } from "./policy-loader.ts";

export class CerbosPolicySet implements CompiledPolicySet<CheckInput[], CheckOutput[]> {
  constructor(
    private readonly table: RuleTable,
    private readonly validator: SchemaValidator,
    readonly config: EngineConfig,
  ) {}

  /** Checks one input (one resource, several actions). */
  check(input: CheckInput, options: EvaluateOptions): CheckOutput {
    setEvaluationTime(options.now);
    return checkInput(this.table, this.validator, this.config, input, options.explain === true);
  }

  /**
   * Checks one input where the evaluation time may be unknown (policy test suites without
   * `now`): time functions then see the epoch and `timeWasNeeded()` reports it.
   */
  checkAt(input: CheckInput, now: Date | undefined, explain = false): CheckOutput {
    setEvaluationTime(now);
    return checkInput(this.table, this.validator, this.config, input, explain);
  }

  /** Checks a batch, as one CheckResources call with several resources; `now` is shared. */
  evaluate(inputs: CheckInput[], options: EvaluateOptions): CheckOutput[] {
    setEvaluationTime(options.now);
    return inputs.map((input) => checkInput(this.table, this.validator, this.config, input, options.explain === true));
  }

  /** The same compiled policies under other engine settings (cheap: shares the rule table). */
  withConfig(config: Partial<EngineConfig>): CerbosPolicySet {
    return new CerbosPolicySet(this.table, this.validator, { ...this.config, ...config });
  }

  /** Relative source file of a policy key such as `resource.document.vdefault`. */
  sourceOf(policyKey: string): string | undefined {
    return this.table.policyFiles.get(policyKey);
  }
}

/** Result of compiling Cerbos policies: the policy set, or every compile error with file and line. */
export type CerbosCompileOutcome = { ok: true; policySet: CerbosPolicySet } | { ok: false; errors: CompileError[]; policySet?: undefined };

export function compileCerbosPolicies(sources: PolicySources, config: Partial<EngineConfig> = {}): CerbosCompileOutcome {
  const result = compilePolicySources(sources);
  if (!result.ok) return { ok: false, errors: result.errors };
  const table = new RuleTable(result.data.policies);
  const policySet = new CerbosPolicySet(table, new SchemaValidator(result.data.schemas), { ...DEFAULT_ENGINE_CONFIG, ...config });
  return { ok: true, policySet };
}

/** Loads a disk-store directory and compiles it. Throws only if the directory cannot be read. */
export function compileCerbosDirectory(dir: string, config: Partial<EngineConfig> = {}): CerbosCompileOutcome {
  return compileCerbosPolicies(loadPolicyDirectory(dir), config);
}

export const cerbosEngine: PolicyEngine<PolicySources, CheckInput[], CheckOutput[]> = {
  name: "cerbos",
  compile: (sources): CompileOutcome<CheckInput[], CheckOutput[]> => compileCerbosPolicies(sources),
};
