// Validates a check input's principal and resource attributes against the policy's schemas.
import type { CheckInput, ValidationError } from "../api-types.ts";
import type { CompiledSchemas, SchemaRef } from "../compile/model.ts";
import { matchesGlob } from "../glob.ts";
import type { SchemaValidator } from "./schema-validator.ts";

function wanted(ref: SchemaRef | undefined, actions: string[]): boolean {
  if (!ref) return false;
  if (ref.ignoreActions.length === 0) return true;
  return actions.some((a) => !ref.ignoreActions.some((g) => matchesGlob(g === "*" ? "*" : g, a)));
}

export function validateInput(validator: SchemaValidator, schemas: CompiledSchemas, input: CheckInput): ValidationError[] {
  const out: ValidationError[] = [];
  const run = (ref: SchemaRef | undefined, attr: unknown, source: ValidationError["source"]) => {
    if (!wanted(ref, input.actions)) return;
    for (const e of validator.validate(ref!.ref, attr ?? {})) out.push({ path: e.instance || "/", message: e.message, source });
  };
  run(schemas.principal, input.principal.attr, "SOURCE_PRINCIPAL");
  run(schemas.resource, input.resource.attr, "SOURCE_RESOURCE");
  return out;
}
