// Variables and constants of one policy: local definitions plus imported export sets. Only the
// variables some expression uses (directly or through other variables) are kept, ordered so
// dependencies come first, as Cerbos's compiler does; unused variables are never evaluated.
import type { CelProgram } from "../cel/environment.ts";
import type { CompiledParams, CompiledVariable } from "./model.ts";
import { isObject, newParamsId, type DocContext } from "./context.ts";

const VAR_REF = /\b(?:V|variables)\.([A-Za-z_][A-Za-z0-9_]*)/g;
const CONST_REF = /\b(?:C|constants)\.([A-Za-z_][A-Za-z0-9_]*)/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One definition with where it came from (for duplicate/undefined errors). */
export interface VariableDefinition {
  name: string;
  program: CelProgram;
  source: string;
}

function refs(re: RegExp, source: string): string[] {
  return [...source.matchAll(re)].map((m) => m[1]!);
}

export class ParamsBuilder {
  private readonly defs = new Map<string, VariableDefinition[]>();
  private readonly constants: Record<string, unknown> = {};
  private readonly constantSources = new Map<string, string[]>();
  private used = new Set<string>();

  constructor(private readonly ctx: DocContext) {}

  /** Compiles a `name: expr` map of variable definitions. */
  addVariables(path: string, map: unknown, source: string): void {
    if (map === undefined || map === null) return;
    if (!isObject(map)) {
      this.ctx.error(path, "variables must be a map of name to expression");
      return;
    }
    for (const [name, expr] of Object.entries(map)) {
      if (!IDENT.test(name)) this.ctx.error(`${path}.${name}`, `invalid variable name "${name}"`);
      const program = this.ctx.cel(`${path}.${name}`, expr);
      if (program) this.addDefinition({ name, program, source });
    }
  }

  addDefinition(def: VariableDefinition): void {
    const list = this.defs.get(def.name) ?? [];
    list.push(def);
    this.defs.set(def.name, list);
  }

  addConstants(path: string, map: unknown, source: string): void {
    if (map === undefined || map === null) return;
    if (!isObject(map)) {
      this.ctx.error(path, "constants must be a map of name to value");
      return;
    }
    for (const [name, value] of Object.entries(map)) {
      const sources = this.constantSources.get(name) ?? [];
      sources.push(source);
      this.constantSources.set(name, sources);
      this.constants[name] = value;
    }
  }

  /** Reports duplicates and undefined references between variables. Call after all adds. */
  resolve(path: string): void {
    for (const [name, list] of this.defs) {
      if (list.length > 1) {
        this.ctx.error(path, `Variable '${name}' has multiple definitions in ${list.map((d) => d.source).join(" and ")}`);
      }
    }
    for (const [name, sources] of this.constantSources) {
      if (sources.length > 1) this.ctx.error(path, `Constant '${name}' has multiple definitions in ${sources.join(" and ")}`);
    }
    for (const [name, list] of this.defs) {
      for (const ref of refs(VAR_REF, list[0]!.program.source)) {
        if (ref === name) this.ctx.error(path, `Variable '${name}' references itself`);
        else if (!this.defs.has(ref)) this.ctx.error(path, `Undefined variable '${ref}' referenced in variable '${name}'`);
      }
      for (const ref of refs(CONST_REF, list[0]!.program.source)) {
        if (!(ref in this.constants)) this.ctx.error(path, `Undefined constant '${ref}' referenced in variable '${name}'`);
      }
    }
  }

  resetUsage(): void {
    this.used = new Set();
  }

  /** Marks the variables an expression reads (and their dependencies) as used. */
  use(path: string, source: string): void {
    for (const ref of refs(VAR_REF, source)) {
      if (!this.defs.has(ref)) this.ctx.error(path, `Undefined variable '${ref}'`);
      else this.markUsed(ref);
    }
    for (const ref of refs(CONST_REF, source)) {
      if (!(ref in this.constants)) this.ctx.error(path, `Undefined constant '${ref}'`);
    }
  }

  private markUsed(name: string): void {
    if (this.used.has(name)) return;
    this.used.add(name);
    const def = this.defs.get(name)?.[0];
    if (!def) return;
    for (const ref of refs(VAR_REF, def.program.source)) if (this.defs.has(ref) && ref !== name) this.markUsed(ref);
  }

  /** Used variables in dependency order (ties broken by name), plus all constants. */
  build(path: string): CompiledParams {
    const names = [...this.used].sort();
    const ordered: CompiledVariable[] = [];
    const done = new Set<string>();
    const visiting = new Set<string>();
    const visit = (name: string): void => {
      if (done.has(name)) return;
      if (visiting.has(name)) {
        this.ctx.error(path, `Variables ${[...visiting].sort().join(", ")} form a cycle`);
        return;
      }
      visiting.add(name);
      const def = this.defs.get(name)![0]!;
      for (const ref of [...new Set(refs(VAR_REF, def.program.source))].sort()) {
        if (ref !== name && this.used.has(ref)) visit(ref);
      }
      visiting.delete(name);
      done.add(name);
      ordered.push({ name, program: def.program });
    };
    for (const n of names) visit(n);
    return { id: newParamsId(), constants: { ...this.constants }, variables: ordered };
  }
}
