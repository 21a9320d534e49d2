// OptionalTypes is built into the library (optional.of/none, `.?`, `[?]`, orValue, …); cel-go also
// defines equality between optionals, which the library lacks.
import { Optional, type Environment } from "@marcbachmann/cel-js";
import { celEquals } from "./values.ts";

function optionalEquals(a: Optional, b: Optional): boolean {
  if (a.hasValue() !== b.hasValue()) return false;
  return !a.hasValue() || celEquals(a.value(), b.value());
}

export function registerOptionalEquality(env: Environment): void {
  env.registerOperator("optional<dyn> == optional<dyn>", optionalEquals);
}
