// Compiles `condition.match` trees and `output` blocks.
import type { CompiledCondition, CompiledOutput } from "./model.ts";
import { isObject, type DocContext } from "./context.ts";

export interface ExprCollector {
  /** Called with every expression source (and its path) so used variables/constants can be tracked. */
  (source: string, path: string): void;
}

function compileMatch(ctx: DocContext, path: string, match: unknown, use: ExprCollector): CompiledCondition | undefined {
  if (!isObject(match)) {
    ctx.error(path, "match must be an object with one of expr, all, any, none");
    return undefined;
  }
  const keys = Object.keys(match);
  if (keys.length !== 1) {
    ctx.error(path, "match must have exactly one of expr, all, any, none");
    return undefined;
  }
  const key = keys[0]!;
  if (key === "expr") {
    const program = ctx.cel(`${path}.expr`, match.expr);
    if (!program) return undefined;
    use(program.source, `${path}.expr`);
    return { kind: "expr", program };
  }
  if (key === "all" || key === "any" || key === "none") {
    const group = match[key];
    const of = isObject(group) ? group.of : undefined;
    if (!Array.isArray(of) || of.length === 0) {
      ctx.error(`${path}.${key}`, `${key}.of must be a non-empty list`);
      return undefined;
    }
    const items: CompiledCondition[] = [];
    of.forEach((m, i) => {
      const c = compileMatch(ctx, `${path}.${key}.of[${i}]`, m, use);
      if (c) items.push(c);
    });
    return { kind: key, items };
  }
  ctx.error(path, `unknown match operator "${key}"`);
  return undefined;
}

export function compileCondition(ctx: DocContext, path: string, cond: unknown, use: ExprCollector): CompiledCondition | undefined {
  if (cond === undefined || cond === null) return undefined;
  if (!isObject(cond) || !("match" in cond)) {
    ctx.error(path, "condition must have a match block");
    return undefined;
  }
  return compileMatch(ctx, `${path}.match`, cond.match, use);
}

export function compileOutput(ctx: DocContext, path: string, out: unknown, use: ExprCollector): CompiledOutput | undefined {
  if (out === undefined || out === null) return undefined;
  if (!isObject(out)) {
    ctx.error(path, "output must be an object");
    return undefined;
  }
  const result: CompiledOutput = {};
  const compile = (p: string, src: unknown) => {
    const program = ctx.cel(p, src);
    if (program) use(program.source, p);
    return program;
  };
  if (typeof out.expr === "string" && out.expr !== "") result.ruleActivated = compile(`${path}.expr`, out.expr);
  const when = isObject(out.when) ? out.when : undefined;
  if (when && typeof when.ruleActivated === "string" && when.ruleActivated !== "") {
    result.ruleActivated = compile(`${path}.when.ruleActivated`, when.ruleActivated);
  }
  if (when && typeof when.conditionNotMet === "string" && when.conditionNotMet !== "") {
    result.conditionNotMet = compile(`${path}.when.conditionNotMet`, when.conditionNotMet);
  }
  if (!result.ruleActivated && !result.conditionNotMet) ctx.error(path, "output must have at least one expression");
  return result;
}
